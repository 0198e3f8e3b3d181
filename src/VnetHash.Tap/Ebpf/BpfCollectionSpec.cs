namespace VnetHash.Tap.Ebpf;

/// <summary>The maps and programs of one object file, as editable specifications.</summary>
internal sealed class BpfCollectionSpec
{
    /// <summary>Creates an empty collection specification.</summary>
    public BpfCollectionSpec()
    {
    }

    /// <summary>Maps by name, in object-file order.</summary>
    public Dictionary<string, BpfMapSpec> Maps { get; } = new(StringComparer.Ordinal);

    /// <summary>Programs by name.</summary>
    public Dictionary<string, BpfProgramSpec> Programs { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads an ELF64 little-endian BPF object as clang writes it.</summary>
    /// <exception cref="BpfObjectFormatException">The object is malformed or uses a feature this loader lacks.</exception>
    public static BpfCollectionSpec FromElf(ReadOnlySpan<byte> elf) => ElfObjectReader.Read(elf);

    /// <summary>A deep copy of the map specifications (program specifications are immutable and shared).</summary>
    public BpfCollectionSpec Copy()
    {
        var copy = new BpfCollectionSpec();
        foreach (var (name, map) in Maps)
        {
            copy.Maps.Add(name, map.Copy());
        }

        foreach (var (name, program) in Programs)
        {
            copy.Programs.Add(name, program);
        }

        return copy;
    }
}
