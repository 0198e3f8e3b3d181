using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Tests.Vectors;

/// <summary>Builds the frame a public vector describes, so the vectors also run through dissection and the rules.</summary>
public static class VectorFrames
{
    public static byte[] Build(PublicVector vector, bool udp = false)
    {
        var builder = new FrameBuilder();
        if (vector.SourceIP is null)
        {
            return builder.Ethernet(etherType: (ushort)vector.EtherType!.Value).Payload([]).Build();
        }

        builder.Ethernet();
        if (vector.SourceIP.Contains(':'))
        {
            builder.IPv6(vector.SourceIP, vector.DestinationIP!);
        }
        else
        {
            builder.IPv4(vector.SourceIP, vector.DestinationIP!);
        }

        int protocol = vector.IPProtocol ?? (vector.SourcePort is null ? 253 : udp ? 17 : 6);
        return protocol switch
        {
            6 => builder.Tcp((ushort)vector.SourcePort!.Value, (ushort)vector.DestinationPort!.Value).Build(),
            17 => builder.Udp((ushort)vector.SourcePort!.Value, (ushort)vector.DestinationPort!.Value).Build(),
            _ => builder.Payload([], protocol).Build(),
        };
    }
}
