using VnetHash.Cli.Captures;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Cli.Analysis;

/// <summary>What the analysis decided for one packet: everything the counters need, nothing they keep.</summary>
/// <param name="Location">Where the frame starts inside the captured bytes.</param>
/// <param name="Info">The dissection of the frame (meaningless unless the payload is Ethernet or IP).</param>
/// <param name="Hash">The hash and report type.</param>
/// <param name="Queue">The queue the packet is steered to.</param>
/// <param name="Flow">The 64-bit hash of the packet's 5-tuple (<see cref="FlowKey"/>); 0 for a packet that is not IP.</param>
/// <param name="Length">The packet's length on the wire.</param>
/// <param name="Note">The fact about the packet that the warnings count, if any.</param>
public readonly record struct PacketOutcome(FrameLocation Location, PacketInfo Info, HashResult Hash, int Queue, ulong Flow, int Length, PacketNote Note);
