using System.Runtime.InteropServices;

namespace VnetHash.Cli;

/// <summary>Turns SIGINT, SIGTERM and SIGQUIT into the one cancellation token every command receives.</summary>
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
        // Let the command stop cleanly and report; the runtime's default would kill the process.
        context.Cancel = true;
        _source.Cancel();
    }
}
