using VnetHash.Abi;
using VnetHash.Cli.Captures;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Cli;

/// <summary>Runs a command body and maps the errors a user can cause to a message on stderr and an exit code.</summary>
internal static class CommandRunner
{
    public static int Run(TextWriter stderr, Func<ExitCode> body)
    {
        try
        {
            return (int)body();
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return (int)ExitCode.InvalidArguments;
        }
        catch (RssConfigurationException e)
        {
            stderr.WriteLine($"error: invalid RSS configuration: {e.Field}: {e.Rule}");
            return (int)ExitCode.InvalidArguments;
        }
        catch (CaptureFormatException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return (int)ExitCode.InvalidInput;
        }
        catch (AbiDecodeException e)
        {
            stderr.WriteLine($"error: cannot decode: {e.Message}");
            return (int)ExitCode.InvalidInput;
        }
        catch (VirtioNetConfigException e)
        {
            stderr.WriteLine($"error: cannot decode: {e.Message}");
            return (int)ExitCode.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("cancelled");
            return (int)ExitCode.Cancelled;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return (int)ExitCode.InvalidInput;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return (int)ExitCode.SystemError;
        }
    }

    public static Task<int> RunAsync(TextWriter stderr, Func<ExitCode> body) => Task.FromResult(Run(stderr, body));
}
