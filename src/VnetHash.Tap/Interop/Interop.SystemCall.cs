using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>
        /// syscall(2), for the calls libc has no wrapper for (bpf, io_uring). Every argument is one machine word, which
        /// is how both x86-64 and arm64 Linux pass them. Returns the result, or -1 and errno.
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static partial nint SystemCall(nint number, nint argument1, nint argument2, nint argument3, nint argument4, nint argument5, nint argument6);
    }

    /// <summary>
    /// The numbers of those calls on the architectures this layer maps: x86-64 (<c>syscall_64.tbl</c>) and arm64
    /// (<c>asm-generic/unistd.h</c>). On any other architecture they are not claimed, and the features that need them
    /// say so instead of calling a wrong number.
    /// </summary>
    internal static class SystemCallNumbers
    {
        /// <summary><c>__NR_bpf</c>, or null where not mapped.</summary>
        internal static readonly nint? Bpf = Pick(x64: 321, arm64: 280);

        /// <summary><c>__NR_io_uring_setup</c>, or null where not mapped.</summary>
        internal static readonly nint? IoUringSetup = Pick(x64: 425, arm64: 425);

        /// <summary><c>__NR_io_uring_enter</c>, or null where not mapped.</summary>
        internal static readonly nint? IoUringEnter = Pick(x64: 426, arm64: 426);

        /// <summary><c>__NR_io_uring_register</c>, or null where not mapped.</summary>
        internal static readonly nint? IoUringRegister = Pick(x64: 427, arm64: 427);

        /// <summary>Why a call cannot be made on this architecture.</summary>
        internal static string NotMapped(string call) =>
            $"{call}: the system call number is mapped for x86-64 and arm64 only; this process runs on {RuntimeInformation.ProcessArchitecture}";

        private static nint? Pick(nint x64, nint arm64) => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => x64,
            Architecture.Arm64 => arm64,
            _ => null,
        };
    }
}
