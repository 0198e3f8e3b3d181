namespace VnetHash.Tap.Ebpf;

/// <summary>How <see cref="EbpfSteering"/> loads its program.</summary>
public sealed class EbpfSteeringOptions
{
    /// <summary>
    /// Make the program record every decision for <see cref="EbpfSteering.ReadLastResult"/>. A diagnostic: it costs
    /// one map write per packet and the record is shared by all CPUs.
    /// </summary>
    public bool RecordResults { get; set; }
}
