using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// Moves a thread of its own from CPU to CPU among those the caller may run on, one step per timed run: on a shared
/// host one virtual CPU can run far slower than another for minutes, and runs spread over every CPU let the best of
/// them escape it (docs/design.md, "`bench`'s CPUs").
/// </summary>
/// <remarks>
/// The rotation never leaves the caller's set: a caller limited to one CPU (<c>taskset -c 3</c>) stays there. It is an
/// aid to measuring, not a requirement: where the kernel refuses a move, the thread stays where it is, and
/// <see cref="Visited"/> says where the runs went. The work runs on a thread of its own because threads started while a
/// thread is pinned can inherit its single CPU: the JIT runtime gives new threads the first thread's CPUs, which the
/// rotation leaves alone; under Native AOT a thread the work itself starts still takes the pinned CPU.
/// </remarks>
internal sealed unsafe partial class CpuRotation
{
    /// <summary>Words of a CPU mask: glibc's cpu_set_t, CPUs 0 to 1,023.</summary>
    internal const int MaskWords = 16;

    private readonly int[] _cpus;
    private readonly SortedSet<int> _visited = [];
    private int _next;

    private CpuRotation(int[] cpus)
    {
        _cpus = cpus;
        if (_cpus.Length == 1)
        {
            // Every run happens there.
            _visited.Add(_cpus[0]);
        }
    }

    /// <summary>The CPUs the thread may run on, in the order it visits them; empty if the kernel would not say.</summary>
    public IReadOnlyList<int> Cpus => _cpus;

    /// <summary>The CPUs the runs were taken on: those <see cref="Step"/> moved the thread to, or the only one it had.</summary>
    public IReadOnlyCollection<int> Visited => _visited;

    /// <summary>
    /// Runs <paramref name="body"/> on a new thread, which starts with the calling thread's CPUs and moves among them at
    /// each <see cref="Step"/>, and returns its result (or throws what it threw). The calling thread does not move.
    /// </summary>
    public static T Run<T>(Func<CpuRotation, T> body)
    {
        // A new thread does not always start with its creator's CPUs (the JIT runtime gives it the first thread's),
        // so it takes the caller's set itself.
        int[] cpus = AllowedCpus();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // Refused, the thread stays where the runtime put it, and nothing is named.
                result = body(new CpuRotation(cpus.Length > 0 && Pin(cpus) ? cpus : []));
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>The CPUs the calling thread may run on, lowest first; empty if the kernel would not say.</summary>
    public static int[] AllowedCpus()
    {
        Span<ulong> mask = stackalloc ulong[MaskWords];
        fixed (ulong* words = mask)
        {
            // A machine with more possible CPUs than the mask holds refuses it (EINVAL): no rotation then.
            if (Native.SchedGetAffinity(0, MaskWords * sizeof(ulong), words) != 0)
            {
                return [];
            }
        }

        var cpus = new List<int>();
        for (int cpu = 0; cpu < MaskWords * 64; cpu++)
        {
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return [.. cpus];
    }

    /// <summary>Moves the thread to the next CPU of its set; with fewer than two there is nowhere to go.</summary>
    public void Step()
    {
        if (_cpus.Length < 2)
        {
            return;
        }

        int cpu = _cpus[_next];
        _next = (_next + 1) % _cpus.Length;
        if (Pin([cpu]))
        {
            _visited.Add(cpu);
        }
    }

    /// <summary>Limits the calling thread to <paramref name="cpus"/>; false if the kernel refuses.</summary>
    internal static bool Pin(ReadOnlySpan<int> cpus)
    {
        Span<ulong> mask = stackalloc ulong[MaskWords];
        foreach (int cpu in cpus)
        {
            mask[cpu / 64] |= 1UL << (cpu % 64);
        }

        fixed (ulong* words = mask)
        {
            return Native.SchedSetAffinity(0, MaskWords * sizeof(ulong), words) == 0;
        }
    }

    private static partial class Native
    {
        // pid 0: the calling thread.
        [LibraryImport("libc", EntryPoint = "sched_getaffinity")]
        internal static partial int SchedGetAffinity(int pid, nuint size, ulong* mask);

        [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
        internal static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);
    }
}
