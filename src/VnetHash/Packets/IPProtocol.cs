namespace VnetHash.Packets;

/// <summary>IPv4 protocol and IPv6 next-header numbers the dissector acts on.</summary>
internal static class IPProtocol
{
    public const int HopByHop = 0;
    public const int IPIP = 4;
    public const int Tcp = 6;
    public const int Udp = 17;
    public const int IPv6InIP = 41;
    public const int Routing = 43;
    public const int Fragment = 44;
    public const int Gre = 47;
    public const int Esp = 50;
    public const int AuthenticationHeader = 51;
    public const int DestinationOptions = 60;
    public const int Mobility = 135;
    public const int Mpls = 137;
}
