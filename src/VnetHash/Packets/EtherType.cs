namespace VnetHash.Packets;

/// <summary>The EtherTypes the dissector acts on.</summary>
internal static class EtherType
{
    public const ushort IPv4 = 0x0800;
    public const ushort IPv6 = 0x86DD;
    public const ushort Vlan = 0x8100;
    public const ushort QinQ = 0x88A8;
    public const ushort PppoeSession = 0x8864;
    public const ushort TransparentEthernetBridging = 0x6558;
    public const ushort Ppp = 0x880B;
    public const ushort Batman = 0x4305;
}
