using System.Diagnostics;
using SharpFuzz;
using VnetHash.Fuzz;

// VnetHash.Fuzz list                     the target names, one per line
// VnetHash.Fuzz run TARGET [in-process]  under afl-fuzz: SharpFuzz's fork server runs TARGET on every input
//                                        (outside afl-fuzz: once, on standard input); in-process runs the inputs
//                                        in the fork server itself (faster; a hang ends the fuzzing run)
// VnetHash.Fuzz replay TARGET PATH...    runs TARGET on each file (or each file under a folder), in process;
//                                        prints one line per input and exits 1 when any input fails
// VnetHash.Fuzz seeds FOLDER             writes every target's seeds to FOLDER/TARGET/NAME
return args switch
{
    ["list"] => List(),
    ["run", string name] => WithTarget(name, target => Run(target, inProcess: false)),
    ["run", string name, "in-process"] => WithTarget(name, target => Run(target, inProcess: true)),
    ["replay", string name, .. var paths] when paths.Length > 0 => WithTarget(name, target => Replay(target, paths)),
    ["seeds", string folder] => Seeds(folder),
    _ => Usage(),
};

static int List()
{
    foreach (IFuzzTarget target in FuzzTargets.All)
    {
        Console.WriteLine(target.Name);
    }

    return 0;
}

static int WithTarget(string name, Func<IFuzzTarget, int> action)
{
    if (FuzzTargets.Find(name) is not IFuzzTarget target)
    {
        Console.Error.WriteLine($"unknown target '{name}'; the targets are: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
        return 2;
    }

    return action(target);
}

static int Run(IFuzzTarget target, bool inProcess)
{
    var input = new MemoryStream();
    void RunOne(Stream stream)
    {
        input.SetLength(0);
        stream.CopyTo(input);
        target.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
    }

    // Out of process (the default): a hang or a stack overflow ends only the child that runs the inputs, and
    // afl-fuzz saves it as a hang or a crash instead of losing its fork server. In process saves one hand-over per
    // input (about 1.5 times the executions, docs/reliability.md); an exception is still a saved crash, but a hang
    // makes afl-fuzz give up on the fork server, which fuzz/run reports as a failed run.
    if (inProcess)
    {
        Fuzzer.Run(RunOne);
    }
    else
    {
        Fuzzer.OutOfProcess.Run(RunOne);
    }

    return 0;
}

static unsafe int Replay(IFuzzTarget target, string[] paths)
{
    // The instrumented libraries fuzz/run builds record coverage into SharpFuzz's map, which only afl-fuzz provides:
    // a private map lets them run here too (uninstrumented ones never touch it).
    SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
    int failed = 0;
    int count = 0;
    foreach (string file in paths.SelectMany(Files))
    {
        count++;
        byte[] bytes = File.ReadAllBytes(file);
        var clock = Stopwatch.StartNew();
        try
        {
            target.Run(bytes);
            Console.WriteLine($"ok {file} ({clock.ElapsedMilliseconds} ms)");
        }
        catch (Exception e)
        {
            failed++;
            Console.WriteLine($"FAILED {file}: {e.GetType().FullName}: {e.Message}");
            Console.WriteLine(e.StackTrace);
        }
    }

    Console.WriteLine($"{target.Name}: {count} inputs, {failed} failed");
    return failed == 0 && count > 0 ? 0 : 1;
}

static IEnumerable<string> Files(string path) =>
    Directory.Exists(path)
        ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
        : [path];

static int Seeds(string folder)
{
    foreach (IFuzzTarget target in FuzzTargets.All)
    {
        string directory = Path.Combine(folder, target.Name);
        Directory.CreateDirectory(directory);
        foreach ((string name, byte[] bytes) in target.Seeds())
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
    }

    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: VnetHash.Fuzz list | run TARGET [in-process] | replay TARGET PATH... | seeds FOLDER");
    return 2;
}
