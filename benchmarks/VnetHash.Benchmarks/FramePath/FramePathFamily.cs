namespace VnetHash.Benchmarks.FramePath;

/// <summary>The frame shapes the frame-path benchmarks run on.</summary>
public enum FramePathFamily
{
    /// <summary>Ethernet, IPv4 without options, TCP: 54 bytes of headers.</summary>
    IPv4Tcp,

    /// <summary>Ethernet, IPv4 without options, UDP: 42 bytes of headers.</summary>
    IPv4Udp,

    /// <summary>Ethernet, IPv6 without extension headers, TCP: 74 bytes of headers.</summary>
    IPv6Tcp,

    /// <summary>Ethernet, IPv6 without extension headers, UDP: 62 bytes of headers.</summary>
    IPv6Udp,
}
