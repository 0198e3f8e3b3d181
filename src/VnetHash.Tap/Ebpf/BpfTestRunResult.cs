namespace VnetHash.Tap.Ebpf;

/// <summary>The outcome of <c>BPF_PROG_TEST_RUN</c>.</summary>
/// <param name="ReturnValue">The program's return value (for a steering program: the queue before the modulo).</param>
/// <param name="DurationNanoseconds">The kernel's average time per repetition, in nanoseconds.</param>
internal readonly record struct BpfTestRunResult(uint ReturnValue, uint DurationNanoseconds);
