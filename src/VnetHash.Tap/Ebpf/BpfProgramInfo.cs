namespace VnetHash.Tap.Ebpf;

/// <summary>What the kernel reports about a loaded program (<c>struct bpf_prog_info</c>).</summary>
/// <param name="Id">The kernel-wide program id.</param>
/// <param name="Name">The name given at load time (at most 15 bytes).</param>
/// <param name="VerifiedInstructions">Instructions the verifier processed (<c>verified_insns</c>, Linux 5.16+).</param>
/// <param name="TranslatedLength">Bytes of the program after the verifier's rewrites (<c>xlated_prog_len</c>).</param>
/// <param name="JitedLength">Bytes of native code (<c>jited_prog_len</c>; 0 when the JIT is off).</param>
/// <param name="RunTimeNanoseconds">
/// Time spent in the program (<c>run_time_ns</c>); it only grows while the sysctl <c>kernel.bpf_stats_enabled</c> is 1.
/// </param>
/// <param name="RunCount">Runs counted while <c>kernel.bpf_stats_enabled</c> is 1 (<c>run_cnt</c>).</param>
internal sealed record BpfProgramInfo(
    uint Id,
    string Name,
    uint VerifiedInstructions,
    uint TranslatedLength,
    uint JitedLength,
    ulong RunTimeNanoseconds,
    ulong RunCount);
