using VnetHash.Cli.Captures;
using VnetHash.Tap.Errors;

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
        catch (Exception e) when (Classify(e) is ExitCode code)
        {
            stderr.WriteLine(Message(e));
            return (int)code;
        }
    }

    public static Task<int> RunAsync(TextWriter stderr, Func<ExitCode> body) => Task.FromResult(Run(stderr, body));

    public static async Task<int> RunAsync(TextWriter stderr, Func<Task<ExitCode>> body)
    {
        try
        {
            return (int)await body().ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e) is ExitCode code)
        {
            await stderr.WriteLineAsync(Message(e)).ConfigureAwait(false);
            return (int)code;
        }
    }

    // Errors a user can cause get a code; anything else is a bug and keeps its stack trace.
    private static ExitCode? Classify(Exception e) => e switch
    {
        UsageException or ConfigurationException => ExitCode.InvalidArguments,
        OutputFileException => ExitCode.OutputError,
        CaptureFormatException or InputFileException => ExitCode.InvalidInput,
        TapException { Error: TapError.NotSupported } => ExitCode.BackendUnavailable,
        TapException or UnauthorizedAccessException or IOException => ExitCode.SystemError,

        // The TAP layer rejects options that do not fit the device (queue counts, header sizes) this way.
        ArgumentException => ExitCode.InvalidArguments,
        OperationCanceledException => ExitCode.Interrupted,
        _ => null,
    };

    private static string Message(Exception e) => e switch
    {
        ConfigurationException => $"error: invalid configuration: {e.Message}",
        OperationCanceledException => "interrupted",
        _ => $"error: {e.Message}",
    };
}
