using System.Runtime.InteropServices;

namespace VnetHash.Cli;

/// <summary>
/// Turns SIGINT, SIGTERM and SIGQUIT into the one cancellation token every command receives. A command that
/// stops because of it ends with <see cref="ExitCode.Interrupted"/>, however it finished its work.
/// </summary>
internal sealed class ProcessTermination : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ProcessTermination()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle),
        ];
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The exit code of a command that returned <paramref name="code"/>: interrupted if a signal stopped it.</summary>
    public int ExitCodeFor(int code) => _source.IsCancellationRequested && code == (int)ExitCode.Ok ? (int)ExitCode.Interrupted : code;

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // The first signal lets the command stop cleanly and report; a second one, if the command has not
        // stopped yet, gets the runtime's default and ends the process at once.
        context.Cancel = !_source.IsCancellationRequested;
        _source.Cancel();
    }
}
