namespace VnetHash.Tap.Ebpf;

/// <summary>
/// A program before it is loaded: instructions, type, licence and the map references to patch. Editable data;
/// <see cref="BpfProgram.Load(BpfProgramSpec, IReadOnlyDictionary{string, BpfMap})"/> turns it into a kernel program.
/// </summary>
internal sealed class BpfProgramSpec
{
    /// <summary>Size of one instruction slot (<c>struct bpf_insn</c>).</summary>
    public const int InstructionSize = 8;

    /// <summary>Creates a specification.</summary>
    /// <exception cref="ArgumentException">The instructions are empty or not a whole number of 8-byte slots.</exception>
    public BpfProgramSpec(string name, BpfProgramType type, ReadOnlyMemory<byte> instructions, string license, IReadOnlyList<BpfMapReference>? mapReferences = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(license);
        if (instructions.IsEmpty || instructions.Length % InstructionSize != 0)
        {
            throw new ArgumentException($"BPF instructions come in {InstructionSize}-byte slots; got {instructions.Length} bytes.", nameof(instructions));
        }

        Name = name;
        Type = type;
        Instructions = instructions;
        License = license;
        MapReferences = mapReferences ?? [];
    }

    /// <summary>The program's name (its function symbol); the kernel keeps the first 15 bytes.</summary>
    public string Name { get; }

    /// <summary>The program type.</summary>
    public BpfProgramType Type { get; }

    /// <summary>Little-endian <c>struct bpf_insn</c> slots.</summary>
    public ReadOnlyMemory<byte> Instructions { get; }

    /// <summary>Number of 8-byte instruction slots.</summary>
    public int InstructionCount => Instructions.Length / InstructionSize;

    /// <summary>The licence string; GPL-only helpers need a GPL-compatible one.</summary>
    public string License { get; }

    /// <summary>The <c>ld_imm64</c> map references to patch with map fds.</summary>
    public IReadOnlyList<BpfMapReference> MapReferences { get; }

    /// <summary>
    /// <c>r0 = 0; exit</c>: the smallest program the verifier accepts. Benchmarks measure the steering program's
    /// cost over this one.
    /// </summary>
    public static BpfProgramSpec Trivial(BpfProgramType type = BpfProgramType.SocketFilter) =>
        new("vnethash_trivial", type, new byte[] { 0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 }, "GPL");
}
