using System.Text;

namespace VnetHash.Hashing;

/// <summary>The virtio specification's names of the encapsulation types, for messages that name bits.</summary>
public static class TunnelTypeNames
{
    private static readonly string[] Names = ["GRE_2784", "GRE_2890", "GRE_7676", "GRE_UDP", "VXLAN", "VXLAN_GPE", "GENEVE", "IPIP", "NVGRE"];

    /// <summary>The specification's name of one type bit (<c>VXLAN</c>), or <see langword="null"/> for a bit no type defines.</summary>
    public static string? NameOf(int bit) => bit >= 0 && bit < Names.Length ? Names[bit] : null;

    /// <summary>
    /// Each set bit by name and number, <c>VXLAN (bit 4), GENEVE (bit 6)</c>; bits no type defines as
    /// <c>bit 9</c>; <c>none</c> for no bit.
    /// </summary>
    public static string Describe(TunnelTypes types)
    {
        if (types == TunnelTypes.None)
        {
            return "none";
        }

        var text = new StringBuilder();
        for (int bit = 0; bit < 32; bit++)
        {
            if (((uint)types & (1u << bit)) == 0)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(", ");
            }

            string? name = NameOf(bit);
            text.Append(name is null ? $"bit {bit}" : $"{name} (bit {bit})");
        }

        return text.ToString();
    }
}
