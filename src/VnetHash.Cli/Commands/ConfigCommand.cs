using System.CommandLine;
using VnetHash.Cli.Options;
using VnetHash.Rss;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash config</c>: show an RSS configuration, and encode or decode its binary forms.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Show an RSS configuration as ethtool -x does; encode and decode its kernel and virtio forms.")
        {
            ShowCommand(),
        };
        return command;
    }

    private static Command ShowCommand()
    {
        var command = new Command("show", "Print the configuration the options describe, in ethtool -x layout.")
        {
            CommonOptions.Key,
            CommonOptions.Types,
            CommonOptions.Table,
            CommonOptions.Queues,
            CommonOptions.Unclassified,
            CommonOptions.Profile,
            CommonOptions.Symmetric,
            CommonOptions.Json,
        };
        command.SetAction((parse, _) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, () =>
            {
                RssConfiguration configuration = RssOptions.Build(parse);
                ConfigurationPrinter.Print(configuration, RssOptions.ReadQueues(parse), parse.GetValue(CommonOptions.Json), stdout);
                return ExitCode.Ok;
            });
        });
        return command;
    }
}
