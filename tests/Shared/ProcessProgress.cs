using System.Diagnostics;
using System.Globalization;

namespace VnetHash.TestSupport;

/// <summary>
/// Waits for a build, pack or tool command by its progress rather than by the clock: on a shared machine a Native
/// AOT pack can take many times its usual time, so a command is given up only when its whole process tree has used
/// no CPU for <c>stallLimit</c> (stuck, not slow), or after a ceiling far above any normal run.
/// </summary>
internal static class ProcessProgress
{
    public static readonly TimeSpan DefaultStallLimit = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(60);

    /// <summary>True when the process ended; false (after killing its tree) when it stalled or passed the ceiling.</summary>
    public static bool WaitForExit(Process process, TimeSpan? stallLimit = null)
    {
        TimeSpan stall = stallLimit ?? DefaultStallLimit;
        var clock = Stopwatch.StartNew();
        long lastTicks = -1;
        TimeSpan lastProgress = TimeSpan.Zero;
        while (!process.WaitForExit(TimeSpan.FromSeconds(2)))
        {
            long ticks = CpuTicks(process.Id);
            if (ticks != lastTicks)
            {
                lastTicks = ticks;
                lastProgress = clock.Elapsed;
            }
            else if (clock.Elapsed - lastProgress > stall || clock.Elapsed > Ceiling)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return false;
            }
        }

        process.WaitForExit();
        return true;
    }

    /// <summary>
    /// Starts <paramref name="info"/> with its output and error redirected, waits for it as <see cref="WaitForExit"/>
    /// does, and returns its exit code and what it printed; a command given up throws <see cref="TimeoutException"/>.
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunToEnd(ProcessStartInfo info, TimeSpan? stallLimit = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!WaitForExit(process, stallLimit))
        {
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} {Why(stallLimit)}");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>How a command that did not end is described in the exception.</summary>
    public static string Why(TimeSpan? stallLimit = null) =>
        $"made no progress (no CPU time in its process tree) for {(stallLimit ?? DefaultStallLimit).TotalMinutes:F0} minutes, or ran past {Ceiling.TotalMinutes:F0} minutes";

    /// <summary>CPU clock ticks used so far by <paramref name="root"/> and every living descendant, and by the children they waited for.</summary>
    private static long CpuTicks(int root)
    {
        var children = new Dictionary<int, List<int>>();
        var ticks = new Dictionary<int, long>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // ended while being read
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // proc(5): after the parenthesised command come state (3), ppid (4), ..., utime (14), stime (15), cutime (16), cstime (17).
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            if (!children.TryGetValue(ppid, out List<int>? list))
            {
                children[ppid] = list = [];
            }

            list.Add(pid);
        }

        long total = 0;
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out int pid))
        {
            total += ticks.GetValueOrDefault(pid);
            foreach (int child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }

        return total;
    }
}
