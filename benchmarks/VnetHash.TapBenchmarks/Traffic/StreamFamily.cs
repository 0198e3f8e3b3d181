namespace VnetHash.TapBenchmarks.Traffic;

/// <summary>The frame families of the measurement streams.</summary>
internal enum StreamFamily
{
    IPv4Tcp,
    IPv4Udp,
    IPv6Tcp,
    IPv6Udp,
}
