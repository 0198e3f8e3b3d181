namespace VnetHash.Cli.Captures;

/// <summary>Calls into libpcap (through SharpPcap), turning its absence into one clear error.</summary>
internal static class Libpcap
{
    /// <summary>Runs <paramref name="call"/>; a libpcap that cannot be loaded becomes <see cref="Missing"/>.</summary>
    public static T Call<T>(string purpose, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (IsMissing(e))
        {
            throw Missing(purpose, e);
        }
    }

    /// <summary>The library did not load: the runtime says so directly, or inside a type initializer that called it.</summary>
    public static bool IsMissing(Exception e) => e is DllNotFoundException || (e.InnerException is { } inner && IsMissing(inner));

    public static LibpcapException Missing(string purpose, Exception cause) => new(
        ExitCode.BackendUnavailable,
        $"{purpose} needs libpcap, and no libpcap could be loaded (libpcap.so, libpcap.so.0.8 or libpcap.so.1): install it (Debian and Ubuntu: apt install libpcap0.8; Fedora: dnf install libpcap)",
        cause);
}
