using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;

namespace VnetHash.Benchmarks.FramePath;

/// <summary>Distinct TCP flows as whole Ethernet frames, laid out back to back for the frame-path benchmarks.</summary>
internal static class FramePathFrames
{
    /// <summary>Flows per invocation: enough distinct tuples that the queue choice is not learned by the predictor.</summary>
    public const int Count = 256;

    public static (byte[] Frames, int FrameLength) Build(FramePathFamily family)
    {
        var random = new Random(7);
        byte[]? frames = null;
        int length = 0;
        for (int i = 0; i < Count; i++)
        {
            ushort sourcePort = (ushort)random.Next(1024, 65536);
            ushort destinationPort = (ushort)random.Next(1, 1024);
            var builder = new FrameBuilder().Ethernet();
            builder = family == FramePathFamily.IPv4Tcp
                ? builder.IPv4($"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}", $"192.168.{random.Next(256)}.{random.Next(1, 255)}")
                : builder.IPv6($"2001:db8::{random.Next(0x10000):x}:{random.Next(0x10000):x}", $"2001:db8:1::{random.Next(0x10000):x}:{random.Next(0x10000):x}");
            byte[] frame = builder.Tcp(sourcePort, destinationPort).Build();
            frames ??= new byte[Count * frame.Length];
            length = frame.Length;
            frame.CopyTo(frames, i * length);
        }

        return (frames!, length);
    }

    /// <summary>Throws unless every frame gets the TCP report and a hash equal to the bitwise definition's.</summary>
    public static void Verify(RssSteering steering, FramePathFamily family, byte[] frames, int frameLength)
    {
        HashReport expected = family == FramePathFamily.IPv4Tcp ? HashReport.TcpV4 : HashReport.TcpV6;
        (int tupleOffset, int tupleLength) = family == FramePathFamily.IPv4Tcp ? (26, 12) : (22, 36);
        for (int i = 0; i < Count; i++)
        {
            ReadOnlySpan<byte> frame = frames.AsSpan(i * frameLength, frameLength);
            RssDecision decision = steering.Decide(frame, FrameKind.Ethernet, 4);
            uint reference = ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, frame.Slice(tupleOffset, tupleLength));
            if (decision.Hash.Report != expected || decision.Hash.Value != reference)
            {
                throw new InvalidOperationException($"Frame {i} ({family}) got {decision.Hash.Report} 0x{decision.Hash.Value:x8}, expected {expected} 0x{reference:x8}.");
            }
        }
    }
}
