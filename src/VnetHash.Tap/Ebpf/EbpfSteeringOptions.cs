using VnetHash.Packets;

namespace VnetHash.Tap.Ebpf;

/// <summary>How <see cref="EbpfSteering"/> loads its program.</summary>
public sealed class EbpfSteeringOptions
{
    /// <summary>
    /// Make the program record every decision for <see cref="EbpfSteering.ReadLastResult"/>. A diagnostic: it costs
    /// one map write per packet and the record is shared by all CPUs.
    /// </summary>
    public bool RecordResults { get; set; }

    /// <summary>
    /// What the program sees at offset 0: Ethernet frames on a TAP (the default) or IP packets on a TUN device.
    /// </summary>
    public FrameKind FrameKind { get; set; } = FrameKind.Ethernet;
}
