using VnetHash.Tap.Ebpf;

namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>The object reader and the loader's error paths (cilium/ebpf style: specs, then live objects).</summary>
public sealed class LoaderTests
{
    [Fact]
    public void TheEmbeddedObjectHasTheSteeringProgramAndItsMaps()
    {
        BpfCollectionSpec spec = EbpfSteering.ReadObject();

        BpfProgramSpec program = spec.Programs[EbpfSteering.ProgramName];
        Assert.Equal(BpfProgramType.SocketFilter, program.Type);
        Assert.Equal("GPL", program.License);
        Assert.Contains(program.MapReferences, r => r.MapName == "config_slot");
        Assert.Equal(BpfMapType.ArrayOfMaps, spec.Maps["config_slot"].Type);
        Assert.Equal(BpfMapType.Array, spec.Maps["config_template"].Type);
        Assert.Equal((uint)SteeringConfigurationImage.Size, spec.Maps["config_template"].ValueSize);
        Assert.Equal(16u, spec.Maps["last_result"].ValueSize);
    }

    [Fact]
    public void ANonElfObjectIsRefusedByName()
    {
        BpfObjectFormatException error = Assert.Throws<BpfObjectFormatException>(() => BpfCollectionSpec.FromElf(new byte[100]));
        Assert.Contains("ELF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACutObjectIsRefusedNotMisread()
    {
        byte[] elf = typeof(EbpfSteering).Assembly.GetManifestResourceStream(EbpfSteering.ObjectResourceName)!.ReadAllBytesForTest();
        for (int length = 64; length < elf.Length; length += 997)
        {
            Assert.Throws<BpfObjectFormatException>(() => BpfCollectionSpec.FromElf(elf.AsSpan(0, length)));
        }
    }

    [BpfFact]
    public void AVerifierRejectionCarriesTheLog()
    {
        // r0 = r2; exit: r2 was never written, which the verifier refuses.
        var spec = new BpfProgramSpec("reads_r2", BpfProgramType.SocketFilter, new byte[] { 0xbf, 0x20, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 }, "GPL");
        BpfVerifierException error = Assert.Throws<BpfVerifierException>(() => BpfProgram.Load(spec));
        Assert.Contains("R2", error.Log, StringComparison.Ordinal);
        Assert.Equal(Interop.Errno.EACCES, error.Errno);
    }

    [BpfFact]
    public void AMissingMapIsNamed()
    {
        BpfCollectionSpec spec = EbpfSteering.ReadObject();
        BpfException error = Assert.Throws<BpfException>(() => BpfProgram.Load(spec.Programs[EbpfSteering.ProgramName]));
        Assert.Contains("config_slot", error.Message, StringComparison.Ordinal);
    }

    [BpfFact]
    public void AProgramOpenedByIdIsTheSameProgram()
    {
        // cilium/ebpf's NewProgramFromID: another process's program (the benchmarks open QEMU's this way).
        using BpfProgram loaded = BpfProgram.Load(BpfProgramSpec.Trivial());
        BpfProgramInfo info = loaded.GetInfo();
        using BpfProgram opened = BpfProgram.FromId(info.Id);

        Assert.Null(opened.Spec);
        Assert.Equal(info with { RunCount = 0, RunTimeNanoseconds = 0 }, opened.GetInfo() with { RunCount = 0, RunTimeNanoseconds = 0 });
        Assert.Equal(0u, opened.TestRunFrame(new byte[60]).ReturnValue);
    }

    [BpfFact]
    public void AnUnknownProgramIdIsNamed()
    {
        // Ids count up from 1 and are never reused before wrapping: the largest one names no program.
        BpfException error = Assert.Throws<BpfException>(() => BpfProgram.FromId(uint.MaxValue));
        Assert.Equal(Interop.Errno.ENOENT, error.Errno);
        Assert.Contains(uint.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [BpfFact]
    public void MapValuesRoundTrip()
    {
        using BpfMap map = BpfMap.Create(new BpfMapSpec("roundtrip", BpfMapType.Array, 4, 8, 2));
        map.Update(1, [1, 2, 3, 4, 5, 6, 7, 8]);
        Span<byte> value = stackalloc byte[8];
        Assert.True(map.Lookup(1, value));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, value.ToArray());
        Assert.Throws<ArgumentException>(() => map.Update(0, new byte[3]));
    }
}

internal static class StreamExtensions
{
    internal static byte[] ReadAllBytesForTest(this Stream stream)
    {
        using (stream)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
