namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>Prints one JSON line per result on stdout and remembers whether any failed.</summary>
internal sealed class Report(string scenario)
{
    public string Scenario { get; } = scenario;

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public ResultLine Line(string name) => new(Scenario, name);

    /// <summary>Records a result: passed when <paramref name="failure"/> is null.</summary>
    public void Result(ResultLine line, string? failure)
    {
        if (failure is null)
        {
            Passed++;
        }
        else
        {
            Failed++;
        }

        Console.Out.WriteLine(line.ToJson(failure is null, failure));
        Console.Out.Flush();
    }

    /// <summary>Records a check: passes when <paramref name="condition"/> holds, otherwise fails with <paramref name="failure"/>.</summary>
    public void Check(ResultLine line, bool condition, string failure) => Result(line, condition ? null : failure);
}
