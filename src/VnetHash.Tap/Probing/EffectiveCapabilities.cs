using System.Globalization;

namespace VnetHash.Tap.Probing;

/// <summary>The effective capability set of the calling thread (<c>CapEff</c> of <c>/proc/thread-self/status</c>; capabilities are per thread).</summary>
/// <param name="Raw">The raw bit mask (bit n = capability n).</param>
public readonly record struct EffectiveCapabilities(ulong Raw)
{
    private const int NetAdminBit = 12;
    private const int NetRawBit = 13;
    private const int SysAdminBit = 21;
    private const int PerfmonBit = 38;
    private const int BpfBit = 39;

    /// <summary>CAP_NET_ADMIN: create and configure tun devices.</summary>
    public bool NetAdmin => Has(NetAdminBit);

    /// <summary>CAP_NET_RAW: AF_PACKET sockets.</summary>
    public bool NetRaw => Has(NetRawBit);

    /// <summary>CAP_SYS_ADMIN: namespaces, and bpf(2) on kernels before CAP_BPF.</summary>
    public bool SysAdmin => Has(SysAdminBit);

    /// <summary>CAP_PERFMON.</summary>
    public bool Perfmon => Has(PerfmonBit);

    /// <summary>CAP_BPF: bpf(2) program loads and map creation.</summary>
    public bool Bpf => Has(BpfBit);

    /// <summary>Reads the set of the calling thread; all zero when the file cannot be read.</summary>
    public static EffectiveCapabilities Current()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/thread-self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    return Parse(line["CapEff:".Length..]);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return default;
    }

    /// <summary>Parses the hexadecimal <c>CapEff</c> value.</summary>
    /// <exception cref="FormatException">Not a hexadecimal number.</exception>
    public static EffectiveCapabilities Parse(string hex) => new(ulong.Parse(hex.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private bool Has(int bit) => (Raw & (1UL << bit)) != 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"0x{Raw:x} (CAP_NET_ADMIN {Yes(NetAdmin)}, CAP_NET_RAW {Yes(NetRaw)}, CAP_BPF {Yes(Bpf)}, CAP_SYS_ADMIN {Yes(SysAdmin)})";

    private static string Yes(bool value) => value ? "yes" : "no";
}
