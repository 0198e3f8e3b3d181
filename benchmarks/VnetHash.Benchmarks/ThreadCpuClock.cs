using System.Runtime.InteropServices;

namespace VnetHash.Benchmarks;

/// <summary>
/// The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID): on a machine shared with other work it leaves out the
/// time the thread waits for a core, which wall-clock timing would count.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuClockId = 3;

    /// <summary>Nanoseconds of CPU time this thread has used.</summary>
    public static long Now()
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
