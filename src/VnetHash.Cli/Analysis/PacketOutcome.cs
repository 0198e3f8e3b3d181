using VnetHash.Cli.Captures;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Cli.Analysis;

/// <summary>What the analysis decided for one packet.</summary>
/// <param name="Location">Where the frame starts inside the captured bytes.</param>
/// <param name="Info">The dissection of the frame (meaningless unless the payload is Ethernet or IP).</param>
/// <param name="Hash">The hash and report type.</param>
/// <param name="Queue">The queue the packet is steered to.</param>
public readonly record struct PacketOutcome(FrameLocation Location, PacketInfo Info, HashResult Hash, int Queue);
