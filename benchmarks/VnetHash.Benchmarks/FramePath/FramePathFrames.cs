using VnetHash.Cli.Benchmarks;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Benchmarks.FramePath;

/// <summary>Distinct TCP or UDP flows as whole Ethernet frames, laid out as a reader's batch for the frame-path benchmarks.</summary>
internal static class FramePathFrames
{
    /// <summary>Flows per invocation: enough distinct tuples that the queue choice is not learned by the predictor.</summary>
    public const int Count = 256;

    /// <summary>The flows' frames of <paramref name="family"/>, each behind room for its header, as a reader's batch holds them.</summary>
    public static ReadBatch Build(FramePathFamily family)
    {
        var random = new Random(7);
        var frames = new byte[Count][];
        for (int i = 0; i < Count; i++)
        {
            ushort sourcePort = (ushort)random.Next(1024, 65536);
            ushort destinationPort = (ushort)random.Next(1, 1024);
            var builder = new FrameBuilder().Ethernet();
            builder = IsIPv4(family)
                ? builder.IPv4($"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}", $"192.168.{random.Next(256)}.{random.Next(1, 255)}")
                : builder.IPv6($"2001:db8::{random.Next(0x10000):x}:{random.Next(0x10000):x}", $"2001:db8:1::{random.Next(0x10000):x}:{random.Next(0x10000):x}");
            frames[i] = (IsTcp(family) ? builder.Tcp(sourcePort, destinationPort) : builder.Udp(sourcePort, destinationPort)).Build();
        }

        return new ReadBatch(frames);
    }

    public static bool IsIPv4(FramePathFamily family) => family is FramePathFamily.IPv4Tcp or FramePathFamily.IPv4Udp;

    public static bool IsTcp(FramePathFamily family) => family is FramePathFamily.IPv4Tcp or FramePathFamily.IPv6Tcp;

    /// <summary>Throws unless every frame gets its TCP or UDP report and a hash equal to the bitwise definition's.</summary>
    public static void Verify(RssSteering steering, FramePathFamily family, ReadBatch batch)
    {
        HashReport expected = family switch
        {
            FramePathFamily.IPv4Tcp => HashReport.TcpV4,
            FramePathFamily.IPv4Udp => HashReport.UdpV4,
            FramePathFamily.IPv6Tcp => HashReport.TcpV6,
            _ => HashReport.UdpV6,
        };
        (int tupleOffset, int tupleLength) = IsIPv4(family) ? (26, 12) : (22, 36);
        for (int i = 0; i < Count; i++)
        {
            ReadOnlySpan<byte> frame = batch.Frame(i);
            RssDecision decision = steering.Decide(frame, FrameKind.Ethernet, 4);
            uint reference = ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, frame.Slice(tupleOffset, tupleLength));
            if (decision.Hash.Report != expected || decision.Hash.Value != reference)
            {
                throw new InvalidOperationException($"Frame {i} ({family}) got {decision.Hash.Report} 0x{decision.Hash.Value:x8}, expected {expected} 0x{reference:x8}.");
            }
        }
    }
}
