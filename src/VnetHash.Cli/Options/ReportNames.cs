using VnetHash.Hashing;

namespace VnetHash.Cli.Options;

/// <summary>The names hash reports are printed with (the virtio spec's VIRTIO_NET_HASH_REPORT_* suffixes).</summary>
public static class ReportNames
{
    public static string Name(HashReport report) => report switch
    {
        HashReport.None => "NONE",
        HashReport.IPv4 => "IPv4",
        HashReport.TcpV4 => "TCPv4",
        HashReport.UdpV4 => "UDPv4",
        HashReport.IPv6 => "IPv6",
        HashReport.TcpV6 => "TCPv6",
        HashReport.UdpV6 => "UDPv6",
        HashReport.IPv6Ex => "IPv6_EX",
        HashReport.TcpV6Ex => "TCPv6_EX",
        HashReport.UdpV6Ex => "UDPv6_EX",
        _ => $"report-{(int)report}",
    };
}
