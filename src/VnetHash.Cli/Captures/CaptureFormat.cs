namespace VnetHash.Cli.Captures;

/// <summary>The container format of a capture file.</summary>
public enum CaptureFormat
{
    /// <summary>Classic libpcap: one global header, then records.</summary>
    Pcap,

    /// <summary>pcapng: sections of typed blocks.</summary>
    Pcapng,
}
