using VnetHash.Tap.Errors;

namespace VnetHash.Tap.Reading;

/// <summary>The errors that end a reader, worded alike whatever the engine.</summary>
internal static class ReadErrors
{
    /// <summary>The error for a read or wait that failed with <paramref name="errno"/>; the device-gone errnos say so plainly.</summary>
    internal static TapException Ended(int errno, string operation, string subject)
    {
        TapException error = Interop.IoErrors.Create(errno, operation, subject);
        return error.Error == TapError.DeviceGone
            ? new TapException(TapError.DeviceGone, errno, operation, $"reading {subject} ended: the device was deleted or the queue detached ({error.Message})")
            : error;
    }

    /// <summary>The error for a queue fd that poll reports in error: tun does so once the fd has no device.</summary>
    internal static TapException PollError(string subject, short events) =>
        new(TapError.DeviceGone, 0, "poll", $"reading {subject} ended: the device was deleted or the queue detached (poll revents 0x{(ushort)events:x})");

    /// <summary>The error for a queue fd closed while its reader ran.</summary>
    internal static TapException Closed(string subject) =>
        new(TapError.DeviceGone, 0, "close", $"reading {subject} ended: the queue fd was closed while it was being read");
}
