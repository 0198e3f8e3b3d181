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
    /// The numbers of those calls on the architectures this layer maps: x86-64 (<c>asm/unistd_64.h</c>) and arm64
    /// (<c>asm-generic/unistd.h</c>, the table arm64 uses). On any other architecture they are not claimed, and the
    /// features that need them say so instead of calling a wrong number.
    /// </summary>
    internal static class SystemCallNumbers
    {
        /// <summary><c>__NR_bpf</c>, or null where not mapped.</summary>
        internal static readonly nint? Bpf = For(RuntimeInformation.ProcessArchitecture, SystemCall.Bpf);

        /// <summary><c>__NR_io_uring_setup</c>, or null where not mapped.</summary>
        internal static readonly nint? IoUringSetup = For(RuntimeInformation.ProcessArchitecture, SystemCall.IoUringSetup);

        /// <summary><c>__NR_io_uring_enter</c>, or null where not mapped.</summary>
        internal static readonly nint? IoUringEnter = For(RuntimeInformation.ProcessArchitecture, SystemCall.IoUringEnter);

        /// <summary><c>__NR_io_uring_register</c>, or null where not mapped.</summary>
        internal static readonly nint? IoUringRegister = For(RuntimeInformation.ProcessArchitecture, SystemCall.IoUringRegister);

        /// <summary>Why a call cannot be made on this architecture.</summary>
        internal static string NotMapped(string call) =>
            $"{call}: the system call number is mapped for x86-64 and arm64 only; this process runs on {RuntimeInformation.ProcessArchitecture}";

        /// <summary>The number of <paramref name="call"/> on <paramref name="architecture"/>, or null where not mapped.</summary>
        // io_uring's calls came with Linux 5.1, from which a new call takes one number on nearly every architecture
        // (alpha aside); bpf(2) is older and differs.
        internal static nint? For(Architecture architecture, SystemCall call) => (architecture, call) switch
        {
            (Architecture.X64, SystemCall.Bpf) => 321,
            (Architecture.Arm64, SystemCall.Bpf) => 280,
            (Architecture.X64 or Architecture.Arm64, SystemCall.IoUringSetup) => 425,
            (Architecture.X64 or Architecture.Arm64, SystemCall.IoUringEnter) => 426,
            (Architecture.X64 or Architecture.Arm64, SystemCall.IoUringRegister) => 427,
            _ => null,
        };
    }

    /// <summary>The calls made through syscall(2), named as the kernel's <c>__NR_</c> names in Pascal case.</summary>
    internal enum SystemCall
    {
        Bpf,
        IoUringSetup,
        IoUringEnter,
        IoUringRegister,
    }
}
