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
/// <param name="Connection">The connection the packet belongs to, the same both ways (<see cref="FlowKey.Connection"/>, bit 0 the direction); 0 for a packet that is not IP or is a fragment.</param>
/// <param name="Length">The packet's length on the wire.</param>
/// <param name="Note">The fact about the packet that the warnings count, if any.</param>
/// <param name="OuterOnly">
/// The encapsulation types the outer header matches though none of them is enabled, so the outer header was hashed;
/// the enabled ones it matched (its inner packet hashed) are <see cref="PacketInfo.Tunnel"/> of <see cref="Info"/>.
/// </param>
public readonly record struct PacketOutcome(FrameLocation Location, PacketInfo Info, HashResult Hash, int Queue, ulong Flow, ulong Connection, int Length, PacketNote Note, TunnelTypes OuterOnly = TunnelTypes.None);
