namespace VnetHash.Tap.Ebpf;

/// <summary>Kernel program types this layer loads (<c>enum bpf_prog_type</c>).</summary>
internal enum BpfProgramType : uint
{
    /// <summary><c>BPF_PROG_TYPE_SOCKET_FILTER</c>: the type <c>TUNSETSTEERINGEBPF</c> accepts.</summary>
    SocketFilter = 1,
}
