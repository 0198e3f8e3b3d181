using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.TapBenchmarks.Traffic;

/// <summary>
/// Prebuilt Ethernet frames of distinct flows, sent in a loop: the same bytes for every program or reader
/// measured, so the runs differ only in what is measured. Frames shorter than 60 bytes are padded to the
/// Ethernet minimum (the IP length fields exclude the padding, as on a wire).
/// </summary>
internal sealed class FrameStream
{
    public const int MinimumFrameLength = 60;

    private FrameStream(string name, byte[][] frames)
    {
        Name = name;
        Frames = frames;
    }

    public string Name { get; }

    public IReadOnlyList<byte[]> Frames { get; }

    /// <summary>Flows of one family; <paramref name="flows"/> distinct 4-tuples.</summary>
    public static FrameStream Of(StreamFamily family, int flows) =>
        new(Describe(family), [.. Enumerable.Range(0, flows).Select(i => Build(family, i))]);

    /// <summary>The four families interleaved: IPv4/TCP, IPv4/UDP, IPv6/TCP, IPv6/UDP, IPv4/TCP, ...</summary>
    public static FrameStream Mixed(int flowsPerFamily)
    {
        StreamFamily[] families = Enum.GetValues<StreamFamily>();
        return new("mixed IPv4/IPv6 TCP/UDP", [.. Enumerable.Range(0, flowsPerFamily).SelectMany(i => families.Select(f => Build(f, i)))]);
    }

    public static string Describe(StreamFamily family) => family switch
    {
        StreamFamily.IPv4Tcp => "IPv4/TCP",
        StreamFamily.IPv4Udp => "IPv4/UDP",
        StreamFamily.IPv6Tcp => "IPv6/TCP",
        StreamFamily.IPv6Udp => "IPv6/UDP",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown stream family"),
    };

    private static byte[] Build(StreamFamily family, int flow)
    {
        ushort sourcePort = (ushort)(20000 + (flow * 7919 % 40000));
        ushort destinationPort = (ushort)(1 + (flow * 131 % 1000));
        FrameBuilder builder = new FrameBuilder().Ethernet();
        builder = family is StreamFamily.IPv4Tcp or StreamFamily.IPv4Udp
            ? builder.IPv4($"10.1.{flow / 250}.{1 + (flow % 250)}", $"10.2.{flow % 7}.{1 + (flow * 37 % 250)}")
            : builder.IPv6($"2001:db8:1::{flow + 1:x}", $"2001:db8:2::{(flow * 40503) & 0xffff:x}");
        builder = family is StreamFamily.IPv4Tcp or StreamFamily.IPv6Tcp
            ? builder.Tcp(sourcePort, destinationPort)
            : builder.Udp(sourcePort, destinationPort);
        byte[] frame = builder.Build();
        return frame.Length >= MinimumFrameLength ? frame : [.. frame, .. new byte[MinimumFrameLength - frame.Length]];
    }
}
