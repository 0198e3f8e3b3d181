internal static partial class Interop
{
    /// <summary>The bpf(2) system call, reached through libc's <c>syscall</c> because libc has no wrapper.</summary>
    internal static unsafe partial class Bpf
    {
        /// <summary><c>BPF_PSEUDO_MAP_FD</c>: the source register of an <c>ld_imm64</c> whose immediate is a map fd.</summary>
        internal const byte PseudoMapFd = 1;

        /// <summary><c>BPF_ANY</c>: create or replace an element.</summary>
        internal const ulong UpdateAny = 0;

        /// <summary>The size passed with every command: the <c>union bpf_attr</c> prefix this layer fills.</summary>
        internal const int AttributeSize = 144;

        /// <summary>Runs one bpf(2) command over a zero-padded <c>union bpf_attr</c>; returns the result or -1 with errno set.</summary>
        /// <exception cref="PlatformNotSupportedException">bpf(2) is not mapped for this architecture.</exception>
        internal static int Call(Command command, void* attributes)
        {
            nint number = SystemCallNumbers.Bpf ?? throw new PlatformNotSupportedException(SystemCallNumbers.NotMapped("bpf(2)"));
            return (int)Sys.SystemCall(number, (nint)command, (nint)attributes, AttributeSize, 0, 0, 0);
        }

        /// <summary>The bpf(2) commands this layer uses (<c>enum bpf_cmd</c>).</summary>
        internal enum Command
        {
            MapCreate = 0,
            MapLookupElement = 1,
            MapUpdateElement = 2,
            ProgramLoad = 5,
            ProgramTestRun = 10,
            ProgramGetFdById = 13,
            ObjectGetInfoByFd = 15,
        }
    }
}
