using System.CommandLine;
using VnetHash.Cli;
using VnetHash.Cli.Commands;

var root = new RootCommand("vnethash: virtio-net RSS hashing: hash frames, analyse captures for queue balance, show and encode RSS configurations.")
{
    ToeplitzCommand.Create(),
    HashCommand.Create(),
    AnalyzeCommand.Create(),
    GenerateCommand.Create(),
    ConfigCommand.Create(),
    BenchCommand.Create(),
    ProbeCommand.Create(),
    TapRunCommand.Create(),
};
CommandLineRules.Apply(root);

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Usage errors share exit code 2 with bad option values, as the README documents.
    foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("see: vnethash --help");
    return (int)ExitCode.InvalidArguments;
}

using var termination = new ProcessTermination();
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
int code = await parse.InvokeAsync(invocation, termination.Token).ConfigureAwait(false);
return termination.ExitCodeFor(code);
