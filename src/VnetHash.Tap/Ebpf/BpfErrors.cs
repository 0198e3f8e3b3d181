using System.Runtime.InteropServices;

namespace VnetHash.Tap.Ebpf;

/// <summary>Turns a failed bpf(2) call into a named, explained exception.</summary>
internal static class BpfErrors
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int E2BIG = 7;
    internal const int EBADF = 9;
    internal const int EAGAIN = 11;
    internal const int ENOMEM = 12;
    internal const int EACCES = 13;
    internal const int EFAULT = 14;
    internal const int EBUSY = 16;
    internal const int EINVAL = 22;
    internal const int ENOSPC = 28;
    internal const int ERANGE = 34;
    internal const int ENOSYS = 38;
    internal const int EOPNOTSUPP = 95;

    internal static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        E2BIG => "E2BIG",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        EINVAL => "EINVAL",
        ENOSPC => "ENOSPC",
        ERANGE => "ERANGE",
        ENOSYS => "ENOSYS",
        EOPNOTSUPP => "EOPNOTSUPP",
        _ => $"errno {errno}",
    };

    /// <summary>The exception for the errno of the call that just failed.</summary>
    internal static BpfException LastError(string operation) => FromErrno(operation, Marshal.GetLastPInvokeError());

    internal static BpfException FromErrno(string operation, int errno) => errno switch
    {
        EPERM => new BpfException(
            $"{operation} was refused (EPERM): bpf(2) needs root or CAP_BPF (kernel.unprivileged_bpf_disabled keeps it from other users); run as root or grant CAP_BPF and CAP_NET_ADMIN.",
            errno),
        ENOSYS => new BpfException($"{operation} failed (ENOSYS): this kernel has no bpf(2) (CONFIG_BPF_SYSCALL is off).", errno),
        _ => new BpfException($"{operation} failed ({Name(errno)}).", errno),
    };
}
