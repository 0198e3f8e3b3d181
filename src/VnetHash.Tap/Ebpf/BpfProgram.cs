using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Ebpf;

/// <summary>A live, verified kernel program. Dispose it to drop this process's reference.</summary>
internal sealed unsafe class BpfProgram : IDisposable
{
    private const int FirstLogSize = 256 * 1024;
    private const int LargestLogSize = 64 * 1024 * 1024;

    // What the kernel pulls off a socket filter's test data as the Ethernet header (eth_type_trans).
    private const int ConsumedHeaderLength = 14;

    private readonly string _name;

    private BpfProgram(BpfProgramSpec? spec, string name, FileDescriptorHandle fd)
    {
        Spec = spec;
        _name = name;
        FileDescriptor = fd;
    }

    /// <summary>The specification the program was loaded from; null for a program opened by id (<see cref="FromId"/>).</summary>
    public BpfProgramSpec? Spec { get; }

    /// <summary>The program's descriptor (for <c>TUNSETSTEERINGEBPF</c>).</summary>
    public FileDescriptorHandle FileDescriptor { get; }

    /// <summary>
    /// Opens a program that is already loaded, by its kernel id (<c>BPF_PROG_GET_FD_BY_ID</c>): one another process
    /// loaded, say, to measure or attach it. The new descriptor keeps the program alive until disposed.
    /// </summary>
    /// <exception cref="BpfException">No program has that id (ENOENT), or the caller lacks CAP_SYS_ADMIN (EPERM).</exception>
    public static BpfProgram FromId(uint id)
    {
        var attributes = new Interop.Bpf.GetFdByIdAttributes { Id = id };
        int fd = Interop.Bpf.Call(Interop.Bpf.Command.ProgramGetFdById, &attributes);
        if (fd >= 0)
        {
            return new BpfProgram(null, $"program id {id}", new FileDescriptorHandle(fd, ownsHandle: true));
        }

        int errno = Marshal.GetLastPInvokeError();
        throw errno == Interop.Errno.ENOENT
            ? new BpfException($"No loaded BPF program has id {id} (BPF_PROG_GET_FD_BY_ID: ENOENT).", errno)
            : BpfErrors.FromErrno($"BPF_PROG_GET_FD_BY_ID of program id {id}", errno);
    }

    /// <summary>Loads a program that references no maps.</summary>
    public static BpfProgram Load(BpfProgramSpec spec) => Load(spec, new Dictionary<string, BpfMap>());

    /// <summary>
    /// Patches every map reference with the fd of the named map in <paramref name="maps"/> and loads the program
    /// (<c>BPF_PROG_LOAD</c>). The first attempt runs without a verifier log; a rejection is retried with the log on,
    /// growing the buffer while the kernel reports ENOSPC.
    /// </summary>
    /// <exception cref="BpfVerifierException">The verifier rejected the program; the exception carries its log.</exception>
    /// <exception cref="BpfException">The kernel refused for another reason (EPERM names the capability needed).</exception>
    public static BpfProgram Load(BpfProgramSpec spec, IReadOnlyDictionary<string, BpfMap> maps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(maps);
        byte[] instructions = spec.Instructions.ToArray();
        foreach (BpfMapReference reference in spec.MapReferences)
        {
            if (!maps.TryGetValue(reference.MapName, out BpfMap? map))
            {
                throw new BpfException($"Program '{spec.Name}' references map '{reference.MapName}', which was not created.");
            }

            Span<byte> slot = instructions.AsSpan(reference.InstructionIndex * BpfProgramSpec.InstructionSize, 2 * BpfProgramSpec.InstructionSize);
            slot[1] = (byte)((slot[1] & 0x0F) | (Interop.Bpf.PseudoMapFd << 4));
            BinaryPrimitives.WriteInt32LittleEndian(slot[4..], map.FileDescriptor.DangerousGetFd());
            BinaryPrimitives.WriteInt32LittleEndian(slot[12..], 0);
        }

        byte[] license = Encoding.ASCII.GetBytes(spec.License + "\0");
        int fd = TryLoad(spec, instructions, license, null, out int errno);
        if (fd >= 0)
        {
            return new BpfProgram(spec, spec.Name, new FileDescriptorHandle(fd, ownsHandle: true));
        }

        if (errno == Interop.Errno.EPERM || errno == Interop.Errno.ENOSYS || errno == Interop.Errno.EBADF || errno == Interop.Errno.ENOMEM)
        {
            throw BpfErrors.FromErrno($"BPF_PROG_LOAD of '{spec.Name}'", errno);
        }

        for (int size = FirstLogSize; ; size *= 2)
        {
            byte[] log = new byte[size];
            fd = TryLoad(spec, instructions, license, log, out errno);
            if (fd >= 0)
            {
                return new BpfProgram(spec, spec.Name, new FileDescriptorHandle(fd, ownsHandle: true));
            }

            if (errno == Interop.Errno.ENOSPC && size < LargestLogSize)
            {
                continue;
            }

            int end = Array.IndexOf(log, (byte)0);
            string text = Encoding.ASCII.GetString(log, 0, end < 0 ? log.Length : end);
            if (errno == Interop.Errno.EPERM && text.Length == 0)
            {
                throw BpfErrors.FromErrno($"BPF_PROG_LOAD of '{spec.Name}'", errno);
            }

            throw new BpfVerifierException(spec.Name, errno, text);
        }
    }

    /// <summary>
    /// Runs the program once per repetition on a copy of <paramref name="data"/> (<c>BPF_PROG_TEST_RUN</c>).
    /// For a socket filter the kernel treats the first 14 bytes as an Ethernet header and starts the packet after it.
    /// </summary>
    /// <returns>The program's return value and the kernel's average run time per repetition.</returns>
    public BpfTestRunResult TestRun(ReadOnlySpan<byte> data, int repeat = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        fixed (byte* d = data)
        {
            var attributes = new Interop.Bpf.TestRunAttributes
            {
                ProgramFd = FileDescriptor.DangerousGetFd(),
                DataSizeIn = (uint)data.Length,
                DataIn = (ulong)d,
                Repeat = (uint)repeat,
            };
            if (Interop.Bpf.Call(Interop.Bpf.Command.ProgramTestRun, &attributes) != 0)
            {
                throw BpfErrors.LastError($"BPF_PROG_TEST_RUN of '{_name}' ({data.Length} bytes)");
            }

            return new BpfTestRunResult(attributes.ReturnValue, attributes.Duration);
        }
    }

    /// <summary>
    /// Runs the program on <paramref name="frame"/> as a TAP steering program sees it. Under
    /// <c>BPF_PROG_TEST_RUN</c> a socket filter's data starts after the 14 bytes the kernel takes as the Ethernet
    /// header, while on a TAP the program reads the frame from its first byte; so 14 bytes go in front, with an
    /// EtherType (IEEE local experimental, 0x88B5) nothing in the kernel reacts to.
    /// </summary>
    /// <returns>The program's return value and the kernel's average run time per repetition.</returns>
    public BpfTestRunResult TestRunFrame(ReadOnlySpan<byte> frame, int repeat = 1)
    {
        byte[] data = ArrayPool<byte>.Shared.Rent(ConsumedHeaderLength + frame.Length);
        try
        {
            Span<byte> wrapped = data.AsSpan(0, ConsumedHeaderLength + frame.Length);
            wrapped[..ConsumedHeaderLength].Clear();
            wrapped[0] = 0x02;
            wrapped[6] = 0x02;
            wrapped[12] = 0x88;
            wrapped[13] = 0xB5;
            frame.CopyTo(wrapped[ConsumedHeaderLength..]);
            return TestRun(wrapped, repeat);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    /// <summary>What the kernel says about the loaded program (<c>BPF_OBJ_GET_INFO_BY_FD</c>).</summary>
    public BpfProgramInfo GetInfo()
    {
        Interop.Bpf.ProgramInfo info = default;
        var attributes = new Interop.Bpf.ObjectInfoAttributes
        {
            Fd = FileDescriptor.DangerousGetFd(),
            InfoLength = Interop.Bpf.ProgramInfo.ProgramInfoSize,
            Info = (ulong)&info,
        };
        if (Interop.Bpf.Call(Interop.Bpf.Command.ObjectGetInfoByFd, &attributes) != 0)
        {
            throw BpfErrors.LastError($"BPF_OBJ_GET_INFO_BY_FD of '{_name}'");
        }

        var name = new ReadOnlySpan<byte>(info.Name, 16);
        int end = name.IndexOf((byte)0);
        return new BpfProgramInfo(
            info.Id,
            Encoding.ASCII.GetString(end < 0 ? name : name[..end]),
            info.VerifiedInstructions,
            info.TranslatedLength,
            info.JitedLength,
            info.RunTimeNanoseconds,
            info.RunCount);
    }

    /// <inheritdoc/>
    public void Dispose() => FileDescriptor.Dispose();

    private static int TryLoad(BpfProgramSpec spec, byte[] instructions, byte[] license, byte[]? log, out int errno)
    {
        fixed (byte* i = instructions)
        fixed (byte* l = license)
        fixed (byte* buffer = log)
        {
            var attributes = new Interop.Bpf.ProgramLoadAttributes
            {
                ProgramType = (uint)spec.Type,
                InstructionCount = (uint)(instructions.Length / BpfProgramSpec.InstructionSize),
                Instructions = (ulong)i,
                License = (ulong)l,
                LogLevel = log is null ? 0u : 1u,
                LogSize = log is null ? 0u : (uint)log.Length,
                LogBuffer = (ulong)buffer,
            };
            BpfMap.WriteName(spec.Name, attributes.ProgramName);
            int fd = Interop.Bpf.Call(Interop.Bpf.Command.ProgramLoad, &attributes);
            errno = fd < 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
            return fd;
        }
    }
}
