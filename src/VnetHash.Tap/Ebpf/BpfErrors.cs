using System.Runtime.InteropServices;

namespace VnetHash.Tap.Ebpf;

/// <summary>Turns a failed bpf(2) call into a <see cref="BpfException"/> worded by the layer's one errno mapper.</summary>
internal static class BpfErrors
{
    /// <summary>What a permission error of bpf(2) points to.</summary>
    private const string Capability = "root or CAP_BPF and CAP_NET_ADMIN (kernel.unprivileged_bpf_disabled keeps bpf(2) from other users)";

    /// <summary>The exception for the errno of the call that just failed.</summary>
    internal static BpfException LastError(string operation) => FromErrno(operation, Marshal.GetLastPInvokeError());

    internal static BpfException FromErrno(string operation, int errno) =>
        new(Interop.IoErrors.Describe(errno, operation, null, Capability).Message, errno);
}
