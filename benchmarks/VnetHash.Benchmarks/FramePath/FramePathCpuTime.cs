using System.Runtime.InteropServices;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Benchmarks.FramePath;

/// <summary>
/// The frame path of <see cref="FramePathBenchmarks"/> in thread CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves
/// out the time the thread waits for a core on a machine shared with other work, with the split into dissector,
/// hash (classification and Toeplitz) and queue plus header. Same frames, same configuration, same checks.
/// Run with <c>dotnet run -c Release --project benchmarks/VnetHash.Benchmarks -- frame-path-cputime</c>.
/// </summary>
internal static partial class FramePathCpuTime
{
    public const string Command = "frame-path-cputime";

    private const int QueueCount = 4;
    private const int Rounds = 9;
    private const long RoundNanoseconds = 40_000_000;
    private const long WarmupNanoseconds = 400_000_000;

    private interface IPass
    {
        /// <summary>Runs the step on all <see cref="FramePathFrames.Count"/> frames once.</summary>
        int Run();
    }

    public static void Run(TextWriter output)
    {
        var steering = new RssSteering(RssConfiguration.RoundRobin(QueueCount));
        output.WriteLine($"Thread CPU time per frame, best and median of {Rounds} rounds; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}; Toeplitz path {steering.Hasher.Key.Implementation}.");
        output.WriteLine("| Frames | Step | best ns/frame | median ns/frame |");
        output.WriteLine("| --- | --- | ---: | ---: |");
        foreach (FramePathFamily family in Enum.GetValues<FramePathFamily>())
        {
            (byte[] frames, int length) = FramePathFrames.Build(family);
            FramePathFrames.Verify(steering, family, frames, length);
            (double decide, double decideMedian) = Measure(new DecidePass(steering, frames, length, new byte[VirtioNetHeader.HashSize]));
            (double hash, double hashMedian) = Measure(new HashPass(steering.Hasher, frames, length));
            (double dissect, double dissectMedian) = Measure(new DissectPass(frames, length));
            (double floor, double floorMedian) = Measure(new FloorPass(steering.Hasher.Key, frames, length, family == FramePathFamily.IPv4Tcp));
            output.WriteLine($"| {family} | floor: Dissect + HashIPv4/HashIPv6 called directly, no hash-type rules | {floor:F2} | {floorMedian:F2} |");
            output.WriteLine($"| {family} | Decide: frame to hash, report, queue, header | {decide:F2} | {decideMedian:F2} |");
            output.WriteLine($"| {family} | PacketHasher.Hash: dissector and hash | {hash:F2} | {hashMedian:F2} |");
            output.WriteLine($"| {family} | PacketDissector.Dissect alone | {dissect:F2} | {dissectMedian:F2} |");
            output.WriteLine($"| {family} | hash without dissector (Hash - Dissect) | {hash - dissect:F2} | {hashMedian - dissectMedian:F2} |");
            output.WriteLine($"| {family} | queue and header (Decide - Hash) | {decide - hash:F2} | {decideMedian - hashMedian:F2} |");
        }
    }

    private static (double Best, double Median) Measure<T>(T pass)
        where T : IPass
    {
        int sink = 0;
        long start = Now();
        int passes = 0;
        while (Now() - start < WarmupNanoseconds)
        {
            sink ^= pass.Run();
            passes++;
        }

        // Passes per round from the warm rate, so each round lasts about RoundNanoseconds.
        int perRound = Math.Max(1, (int)(RoundNanoseconds * passes / Math.Max(1, Now() - start)));
        double[] rounds = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long roundStart = Now();
            for (int i = 0; i < perRound; i++)
            {
                sink ^= pass.Run();
            }

            rounds[round] = (double)(Now() - roundStart) / ((long)perRound * FramePathFrames.Count);
        }

        GC.KeepAlive(sink);
        Array.Sort(rounds);
        return (rounds[0], rounds[Rounds / 2]);
    }

    private static long Now() => ThreadCpuClock.Now();

    private readonly struct DecidePass(RssSteering steering, byte[] frames, int length, byte[] header) : IPass
    {
        public int Run()
        {
            int queues = 0;
            for (int i = 0; i < FramePathFrames.Count; i++)
            {
                queues += steering.Decide(frames.AsSpan(i * length, length), FrameKind.Ethernet, QueueCount, header).Queue;
            }

            return queues;
        }
    }

    private readonly struct HashPass(PacketHasher hasher, byte[] frames, int length) : IPass
    {
        public int Run()
        {
            uint sum = 0;
            for (int i = 0; i < FramePathFrames.Count; i++)
            {
                sum ^= hasher.Hash(frames.AsSpan(i * length, length), FrameKind.Ethernet).Value;
            }

            return (int)sum;
        }
    }

    /// <summary>The floor of the path: dissector and tuple kernel called directly, without the hash-type rules.</summary>
    private readonly struct FloorPass(ToeplitzKey key, byte[] frames, int length, bool v4) : IPass
    {
        public int Run()
        {
            uint sum = 0;
            for (int i = 0; i < FramePathFrames.Count; i++)
            {
                ReadOnlySpan<byte> f = frames.AsSpan(i * length, length);
                PacketInfo info = PacketDissector.Dissect(f, FrameKind.Ethernet);
                sum ^= v4 ? key.HashIPv4(f.Slice(info.AddressOffset, 8), f.Slice(info.PortsOffset, 4)) : key.HashIPv6(f.Slice(info.AddressOffset, 32), f.Slice(info.PortsOffset, 4));
            }

            return (int)sum;
        }
    }

    private readonly struct DissectPass(byte[] frames, int length) : IPass
    {
        public int Run()
        {
            int sum = 0;
            for (int i = 0; i < FramePathFrames.Count; i++)
            {
                sum += PacketDissector.Dissect(frames.AsSpan(i * length, length), FrameKind.Ethernet).PortsOffset;
            }

            return sum;
        }
    }
}
