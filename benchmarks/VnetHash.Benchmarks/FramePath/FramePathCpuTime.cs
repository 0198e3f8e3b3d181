using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VnetHash.Benchmarks.Peer;
using VnetHash.Cli.Benchmarks;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Benchmarks.FramePath;

/// <summary>
/// The frame path of <see cref="FramePathBenchmarks"/> in thread CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves
/// out the time the thread waits for a core on a machine shared with other work: <c>RssSteering.Decide</c> under both
/// profiles, and its parts, round by round in turn with the C per-byte-table hash of a 12-byte tuple (gcc -O3
/// -march=native), the yardstick of the frame-path target. Same frames, same configuration, same checks.
/// Run with <c>dotnet run -c Release --project benchmarks/VnetHash.Benchmarks -- frame-path-cputime</c>.
/// </summary>
internal static class FramePathCpuTime
{
    public const string Command = "frame-path-cputime";

    private const int QueueCount = 4;
    private const int Rounds = 15;
    private const long RoundNanoseconds = 5_000_000;

    public static void Run(TextWriter output)
    {
        var steering = new RssSteering(RssConfiguration.RoundRobin(QueueCount));
        var linuxTun = new RssSteering(RssConfiguration.RoundRobin(QueueCount, profile: HashProfile.LinuxTun));
        ToeplitzKey key = steering.Hasher.Key;
        output.WriteLine(MachineDescription.Describe());
        output.WriteLine($"Toeplitz paths (Auto, chosen in {ToeplitzPathChooser.ChoiceTime.TotalMicroseconds:F0} µs): 12-byte tuple {key.ImplementationOf(ToeplitzOperation.Hash12)}, 36-byte tuple {key.ImplementationOf(ToeplitzOperation.Hash36)}.");
        output.WriteLine(CPeer.Missing is null ? $"C peer: {CPeer.BuildCommand}." : $"C peer: {CPeer.Missing}.");
        output.WriteLine($"Thread CPU time per frame, best and median of {Rounds} rounds, the variants of one family in turn each round.");
        output.WriteLine("| Frames | Step | best ns/frame | median ns/frame | this / C table (best) |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: |");
        byte[] tuples = new byte[256 * HashInput.IPv4WithPortsLength];
        new Random(3).NextBytes(tuples);
        if (CPeer.Missing is null)
        {
            CPeer.Prepare(ToeplitzKey.MicrosoftKey);
        }

        foreach (FramePathFamily family in Enum.GetValues<FramePathFamily>())
        {
            ReadBatch batch = FramePathFrames.Build(family);
            FramePathFrames.Verify(steering, family, batch);
            FramePathFrames.Verify(linuxTun, family, batch);
            List<(string Name, CpuTimeHarness.IPass Pass)> variants =
            [
                ("Decide: frame to hash, report, queue, header (virtio-spec)", new DecidePass(steering, batch)),
                ("Decide, linux-tun profile", new DecidePass(linuxTun, batch)),
                ("PacketHasher.Hash: frame to hash and report", new HashPass(steering.Hasher, batch)),
                ("PacketDissector.Dissect alone (the general path's dissector)", new DissectPass(batch)),
            ];
            if (CPeer.Missing is null)
            {
                variants.Insert(0, ($"C per-byte table, 12-byte tuple ({CPeer.BuildCommand})", new PeerTablePass(tuples)));
            }

            (double Best, double Median)[] results = CpuTimeHarness.Measure([.. variants.Select(v => v.Pass)], Rounds, RoundNanoseconds);
            double table = CPeer.Missing is null ? results[0].Best : 0;
            for (int i = 0; i < variants.Count; i++)
            {
                string ratio = table == 0 ? "" : $"{results[i].Best / table:F2}x";
                output.WriteLine($"| {family} | {variants[i].Name} | {results[i].Best:F2} | {results[i].Median:F2} | {ratio} |");
            }
        }
    }

    private sealed class PeerTablePass(byte[] tuples) : CpuTimeHarness.IPass
    {
        public int Operations => tuples.Length / HashInput.IPv4WithPortsLength;

        public uint Run() => CPeer.TableEach(tuples, HashInput.IPv4WithPortsLength);
    }

    private sealed class DecidePass(RssSteering steering, ReadBatch batch) : CpuTimeHarness.IPass
    {
        public int Operations => batch.Count;

        public uint Run()
        {
            // Locals only, a reference stepping from packet to packet up to the end as the C peer's pointer steps from
            // tuple to tuple: the loop adds no stores or bounds checks of its own (the end may be reloaded from the
            // stack). A counter takes no register beside the values live across Decide's out-of-line call, and is loaded
            // and stored every frame (docs/design.md, "`bench`'s timed loops"). Each header is written in front of its
            // own frame, as in a reader's batch (ReadBatch).
            RssSteering decider = steering;
            int frameLength = batch.FrameLength;
            int stride = batch.Stride;
            int queues = 0;
            ref byte packet = ref MemoryMarshal.GetArrayDataReference(batch.Packets);
            ref byte end = ref Unsafe.Add(ref packet, batch.Count * stride);
            while (Unsafe.IsAddressLessThan(ref packet, ref end))
            {
                queues += decider.Decide(
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref packet, ReadBatch.HeaderSize), frameLength), FrameKind.Ethernet, QueueCount,
                    MemoryMarshal.CreateSpan(ref packet, ReadBatch.HeaderSize)).Queue;
                packet = ref Unsafe.Add(ref packet, stride);
            }

            return (uint)queues;
        }
    }

    private sealed class HashPass(PacketHasher hasher, ReadBatch batch) : CpuTimeHarness.IPass
    {
        public int Operations => batch.Count;

        public uint Run()
        {
            PacketHasher rules = hasher;
            int frameLength = batch.FrameLength;
            int stride = batch.Stride;
            uint sum = 0;
            ref byte packet = ref MemoryMarshal.GetArrayDataReference(batch.Packets);
            ref byte end = ref Unsafe.Add(ref packet, batch.Count * stride);
            while (Unsafe.IsAddressLessThan(ref packet, ref end))
            {
                sum ^= rules.Hash(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref packet, ReadBatch.HeaderSize), frameLength), FrameKind.Ethernet).Value;
                packet = ref Unsafe.Add(ref packet, stride);
            }

            return sum;
        }
    }

    private sealed class DissectPass(ReadBatch batch) : CpuTimeHarness.IPass
    {
        public int Operations => batch.Count;

        public uint Run()
        {
            int frameLength = batch.FrameLength;
            int stride = batch.Stride;
            int sum = 0;
            ref byte packet = ref MemoryMarshal.GetArrayDataReference(batch.Packets);
            ref byte end = ref Unsafe.Add(ref packet, batch.Count * stride);
            while (Unsafe.IsAddressLessThan(ref packet, ref end))
            {
                sum += PacketDissector.Dissect(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref packet, ReadBatch.HeaderSize), frameLength), FrameKind.Ethernet).PortsOffset;
                packet = ref Unsafe.Add(ref packet, stride);
            }

            return (uint)sum;
        }
    }
}
