namespace VnetHash.Benchmarks.FramePath;

/// <summary>The frame shapes the frame-path benchmarks run on.</summary>
public enum FramePathFamily
{
    /// <summary>Ethernet, IPv4 without options, TCP: 54 bytes of headers.</summary>
    IPv4Tcp,

    /// <summary>Ethernet, IPv6 without extension headers, TCP: 74 bytes of headers.</summary>
    IPv6Tcp,
}
