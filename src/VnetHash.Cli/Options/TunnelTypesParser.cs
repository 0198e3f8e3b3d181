using VnetHash.Hashing;

namespace VnetHash.Cli.Options;

/// <summary>
/// Reads <c>--tunnel-types</c> and <c>generate --tunnels</c>: a comma list of the virtio encapsulation types by
/// name (<c>VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784</c> is <c>gre-2784</c>), <c>all</c>, <c>none</c>, or a 0x mask.
/// </summary>
internal sealed class TunnelTypesParser
{
    private static readonly string[] Names = ["gre-2784", "gre-2890", "gre-7676", "gre-udp", "vxlan", "vxlan-gpe", "geneve", "ipip", "nvgre"];

    private readonly FlagSetParser _parser;

    public TunnelTypesParser(string option)
    {
        _parser = new FlagSetParser(option, Names, "encapsulation type", "nine encapsulation types");
    }

    /// <summary>For <c>--tunnel-types</c>.</summary>
    public static TunnelTypesParser Enabled { get; } = new("--tunnel-types");

    /// <summary>The types <paramref name="text"/> names; none when it is null (the option was not given), as after a device reset.</summary>
    public TunnelTypes Parse(string? text) => text is null ? TunnelTypes.None : (TunnelTypes)_parser.Parse(text);

    /// <summary>The names of the types set in <paramref name="types"/>, comma separated; <c>all</c> for all nine, <c>none</c> for none.</summary>
    public static string Format(TunnelTypes types) => types == TunnelTypes.All ? "all" : Enabled._parser.Format((uint)types);

    /// <summary>The name of one type bit (<c>vxlan</c> for bit 4).</summary>
    public static string NameOf(int bit) => Names[bit];
}
