using System.CommandLine;
using VnetHash.Cli;
using VnetHash.Cli.Commands;

var root = new RootCommand("vnethash: virtio-net RSS hashing: hash frames, analyse captures for queue balance, show and encode RSS configurations.")
{
    ToeplitzCommand.Create(),
    HashCommand.Create(),
    AnalyzeCommand.Create(),
    GenerateCommand.Create(),
};

ParseResult parse = root.Parse(args);
using var termination = new ProcessTermination();
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await parse.InvokeAsync(invocation, termination.Token).ConfigureAwait(false);
