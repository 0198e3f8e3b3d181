namespace VnetHash.Tap.Ebpf;

/// <summary>
/// What a map should look like before it exists: editable data, read from an object file or written by hand.
/// <see cref="BpfMap.Create(BpfMapSpec)"/> turns it into a kernel map.
/// </summary>
internal sealed class BpfMapSpec
{
    /// <summary>Creates a specification.</summary>
    public BpfMapSpec(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
    }

    /// <summary>The map's name: its symbol in the object file, and the kernel name (cut to 15 bytes).</summary>
    public string Name { get; set; }

    /// <summary>The map type.</summary>
    public BpfMapType Type { get; set; }

    /// <summary>Key size in bytes.</summary>
    public uint KeySize { get; set; }

    /// <summary>Value size in bytes (4 for a map of maps: an fd on update, an id on lookup).</summary>
    public uint ValueSize { get; set; }

    /// <summary>Number of entries.</summary>
    public uint MaxEntries { get; set; }

    /// <summary><c>map_flags</c>.</summary>
    public uint Flags { get; set; }

    /// <summary>For a map of maps: the shape every inner map has. The loader creates a template from it.</summary>
    public BpfMapSpec? InnerMap { get; set; }

    /// <summary>A deep copy, so one object file can be loaded with different edits.</summary>
    public BpfMapSpec Copy() => new(Name, Type, KeySize, ValueSize, MaxEntries, Flags) { InnerMap = InnerMap?.Copy() };

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Type} key {KeySize} value {ValueSize} entries {MaxEntries}";
}
