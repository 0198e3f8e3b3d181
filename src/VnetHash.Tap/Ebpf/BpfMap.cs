using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Ebpf;

/// <summary>A live kernel map. Dispose it to drop this process's reference; programs using it keep it alive.</summary>
internal sealed unsafe class BpfMap : IDisposable
{
    private BpfMap(BpfMapSpec spec, FileDescriptorHandle fd)
    {
        Spec = spec;
        FileDescriptor = fd;
    }

    /// <summary>A copy of the specification the map was created from.</summary>
    public BpfMapSpec Spec { get; }

    /// <summary>The map's descriptor.</summary>
    public FileDescriptorHandle FileDescriptor { get; }

    /// <summary>Creates a map (<c>BPF_MAP_CREATE</c>). A map of maps needs <see cref="BpfMapSpec.InnerMap"/>.</summary>
    /// <exception cref="BpfException">The kernel refused; the message names the errno and, for EPERM, the capability.</exception>
    public static BpfMap Create(BpfMapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        BpfMap? inner = null;
        try
        {
            var attributes = new Interop.Bpf.MapCreateAttributes
            {
                MapType = (uint)spec.Type,
                KeySize = spec.KeySize,
                ValueSize = spec.ValueSize,
                MaxEntries = spec.MaxEntries,
                MapFlags = spec.Flags,
            };
            if (spec.Type == BpfMapType.ArrayOfMaps)
            {
                BpfMapSpec template = spec.InnerMap ?? throw new BpfException($"Map '{spec.Name}' is a map of maps but its specification has no InnerMap.");
                inner = Create(template);
                attributes.InnerMapFd = inner.FileDescriptor.DangerousGetFd();
            }

            WriteName(spec.Name, attributes.MapName);
            int fd = Interop.Bpf.Call(Interop.Bpf.Command.MapCreate, &attributes);
            if (fd < 0)
            {
                throw BpfErrors.LastError($"BPF_MAP_CREATE of '{spec.Name}' ({spec.Type}, value {spec.ValueSize} bytes)");
            }

            return new BpfMap(spec.Copy(), new FileDescriptorHandle(fd, ownsHandle: true));
        }
        finally
        {
            // The template only gives the outer map its shape; the outer map does not keep it.
            inner?.Dispose();
        }
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/> (<c>BPF_MAP_UPDATE_ELEM</c>, <c>BPF_ANY</c>).</summary>
    /// <exception cref="ArgumentException">The key or value size does not match the map.</exception>
    /// <exception cref="BpfException">The kernel refused.</exception>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckSizes(key.Length, value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            Update(k, v);
        }
    }

    /// <summary>Writes <paramref name="value"/> at array index <paramref name="index"/>.</summary>
    public void Update(uint index, ReadOnlySpan<byte> value)
    {
        CheckSizes(sizeof(uint), value.Length);
        fixed (byte* v = value)
        {
            Update((byte*)&index, v);
        }
    }

    /// <summary>Points entry <paramref name="index"/> of a map of maps at <paramref name="inner"/>.</summary>
    /// <remarks>The kernel returns only after an RCU grace period, so no program still reads the previous inner map.</remarks>
    public void SetInnerMap(uint index, BpfMap inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (Spec.Type != BpfMapType.ArrayOfMaps)
        {
            throw new InvalidOperationException($"Map '{Spec.Name}' is a {Spec.Type}, not a map of maps.");
        }

        int fd = inner.FileDescriptor.DangerousGetFd();
        Update((byte*)&index, (byte*)&fd);
    }

    /// <summary>Puts <paramref name="program"/> at entry <paramref name="index"/> of a program array, as a tail call's target.</summary>
    /// <remarks>
    /// A program in an array that the program itself references is a cycle; the kernel empties the array when its
    /// last descriptor closes, which breaks it.
    /// </remarks>
    public void SetProgram(uint index, BpfProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (Spec.Type != BpfMapType.ProgramArray)
        {
            throw new InvalidOperationException($"Map '{Spec.Name}' is a {Spec.Type}, not a program array.");
        }

        int fd = program.FileDescriptor.DangerousGetFd();
        Update((byte*)&index, (byte*)&fd);
    }

    /// <summary>Reads the value at <paramref name="key"/> into <paramref name="value"/>; false when there is none.</summary>
    public bool Lookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckSizes(key.Length, value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attributes = new Interop.Bpf.MapElementAttributes { MapFd = FileDescriptor.DangerousGetFd(), Key = (ulong)k, Value = (ulong)v };
            if (Interop.Bpf.Call(Interop.Bpf.Command.MapLookupElement, &attributes) == 0)
            {
                return true;
            }

            BpfException error = BpfErrors.LastError($"BPF_MAP_LOOKUP_ELEM on '{Spec.Name}'");
            return error.Errno == Interop.Errno.ENOENT ? false : throw error;
        }
    }

    /// <summary>Reads array index <paramref name="index"/>.</summary>
    public bool Lookup(uint index, Span<byte> value) => Lookup(new ReadOnlySpan<byte>(&index, sizeof(uint)), value);

    /// <inheritdoc/>
    public void Dispose() => FileDescriptor.Dispose();

    internal static void WriteName(string name, byte* destination)
    {
        // The kernel accepts letters, digits, '_' and '.', at most 15 bytes plus the terminator.
        var span = new Span<byte>(destination, 16);
        span.Clear();
        int length = 0;
        foreach (char c in name)
        {
            if (length == 15)
            {
                break;
            }

            if (char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.')
            {
                span[length++] = (byte)c;
            }
        }
    }

    private void Update(byte* key, byte* value)
    {
        var attributes = new Interop.Bpf.MapElementAttributes { MapFd = FileDescriptor.DangerousGetFd(), Key = (ulong)key, Value = (ulong)value, Flags = Interop.Bpf.UpdateAny };
        if (Interop.Bpf.Call(Interop.Bpf.Command.MapUpdateElement, &attributes) != 0)
        {
            throw BpfErrors.LastError($"BPF_MAP_UPDATE_ELEM on '{Spec.Name}'");
        }
    }

    private void CheckSizes(int keyLength, int valueLength)
    {
        if (keyLength != Spec.KeySize)
        {
            throw new ArgumentException($"Map '{Spec.Name}' has {Spec.KeySize}-byte keys, got {keyLength} bytes.", nameof(keyLength));
        }

        if (valueLength != Spec.ValueSize)
        {
            throw new ArgumentException($"Map '{Spec.Name}' has {Spec.ValueSize}-byte values, got {valueLength} bytes.", nameof(valueLength));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Spec.ToString();
}
