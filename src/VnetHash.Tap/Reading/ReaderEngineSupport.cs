using VnetHash.Tap.Errors;

namespace VnetHash.Tap.Reading;

/// <summary>Which reader engine <see cref="ReaderEngine.Auto"/> takes on this host, and why (what the kernel answered).</summary>
/// <param name="Auto">The engine Auto takes: <see cref="ReaderEngine.IoUring"/> when the probe passed, else <see cref="ReaderEngine.PollRead"/>.</param>
/// <param name="Reason">What the probe found, in words.</param>
public sealed record ReaderEngineSupport(ReaderEngine Auto, string Reason)
{
    private static readonly Lazy<ReaderEngineSupport> s_current = new(Probe);

    /// <summary>
    /// The answer for this process, probed once: an io_uring instance is set up, asked whether it knows
    /// <c>IORING_OP_READ_MULTISHOT</c>, and given a provided-buffer ring, exactly as a reader would use it.
    /// </summary>
    public static ReaderEngineSupport Current => s_current.Value;

    /// <inheritdoc/>
    public override string ToString() => $"{Auto}: {Reason}";

    private static unsafe ReaderEngineSupport Probe()
    {
        try
        {
            using IoUringRing ring = IoUringRing.Create(4, 8);
            const int Ops = 64;
            byte* probe = stackalloc byte[sizeof(Interop.IoUring.Probe) + (Ops * sizeof(Interop.IoUring.ProbeOp))];
            new Span<byte>(probe, sizeof(Interop.IoUring.Probe) + (Ops * sizeof(Interop.IoUring.ProbeOp))).Clear();
            if (Interop.IoUring.Register(ring.Handle.DangerousGetFd(), Interop.IoUring.RegisterProbe, probe, Ops) < 0)
            {
                return PollRead($"IORING_REGISTER_PROBE failed: {Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "IORING_REGISTER_PROBE", null).Message}");
            }

            var header = (Interop.IoUring.Probe*)probe;
            var ops = (Interop.IoUring.ProbeOp*)(probe + sizeof(Interop.IoUring.Probe));
            bool multishot = header->LastOp >= Interop.IoUring.OpReadMultishot && (ops[Interop.IoUring.OpReadMultishot].Flags & Interop.IoUring.OpSupported) != 0;
            if (!multishot)
            {
                return PollRead($"this kernel's io_uring has no IORING_OP_READ_MULTISHOT (Linux 6.7; highest operation {header->LastOp})");
            }

            using var buffers = new ProvidedBuffers(ring, 1, 2, 64);
            buffers.Unregister(ring);
            return new ReaderEngineSupport(ReaderEngine.IoUring, "io_uring: IORING_OP_READ_MULTISHOT into a provided-buffer ring (IORING_REGISTER_PBUF_RING) is supported");
        }
        catch (TapException error)
        {
            string sysctl = File.Exists(DisabledSysctl) ? $"; kernel.io_uring_disabled = {File.ReadAllText(DisabledSysctl).Trim()}" : string.Empty;
            return PollRead($"{error.Message}{sysctl}");
        }
        catch (PlatformNotSupportedException error)
        {
            return PollRead(error.Message);
        }
    }

    private const string DisabledSysctl = "/proc/sys/kernel/io_uring_disabled";

    private static ReaderEngineSupport PollRead(string why) => new(ReaderEngine.PollRead, $"poll+read: {why}");
}
