using System.Runtime.InteropServices;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// The calling thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>): on a machine shared with other work, a run timed
/// by it leaves out the time the thread waited for a core, which wall-clock timing would count.
/// </summary>
internal static partial class ThreadCpuTime
{
    private const int ThreadCpuClockId = 3;

    /// <summary>Nanoseconds of CPU time this thread has used.</summary>
    public static long Nanoseconds()
    {
        if (ClockGetTime(ThreadCpuClockId, out Timespec time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
