using System.CommandLine;
using System.Net;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Cli.Options;

/// <summary>A flow given by its fields (--src, --dst, --sport, --dport, --proto, --home, --routing), for hash and predict.</summary>
internal static class TupleOptions
{
    public static readonly Option<string?> Source = new("--src") { Description = "Source address (IPv4 or IPv6).", HelpName = "IP" };

    public static readonly Option<string?> Destination = new("--dst") { Description = "Destination address, of the same family.", HelpName = "IP" };

    public static readonly Option<int?> SourcePort = NumberOptions.OptionalWhole("--sport", 0, ushort.MaxValue, "Source port (with --proto tcp, the default with a port, or udp).", "PORT");

    public static readonly Option<int?> DestinationPort = NumberOptions.OptionalWhole("--dport", 0, ushort.MaxValue, "Destination port.", "PORT");

    public static readonly Option<string?> Protocol = new("--proto") { Description = "Transport: tcp (default when a port is given), udp, or none (addresses only, the default without ports).", HelpName = "tcp|udp|none" };

    public static readonly Option<string?> Home = new("--home") { Description = "IPv6 Home Address option's address (RFC 6275): the packet has extension headers, and the _EX types hash this in place of the source.", HelpName = "IPv6" };

    public static readonly Option<string?> Routing = new("--routing") { Description = "IPv6 type-2 Routing header's address (RFC 6275): the _EX types hash this in place of the destination.", HelpName = "IPv6" };

    public static IEnumerable<Option> All => [Source, Destination, SourcePort, DestinationPort, Protocol, Home, Routing];

    public static bool IsGiven(ParseResult parse) => All.Any(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>The tuple the options describe; <paramref name="placeholder"/> stands in for the field a command varies.</summary>
    public static RssTuple Read(ParseResult parse, TupleField? varied = null)
    {
        IPAddress source = Address(parse, Source, required: varied != TupleField.Source);
        IPAddress destination = Address(parse, Destination, required: varied != TupleField.Destination);
        if (varied == TupleField.Source)
        {
            source = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && parse.GetValue(Source) is null ? IPAddress.IPv6Any : source;
        }

        if (varied == TupleField.Destination)
        {
            destination = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && parse.GetValue(Destination) is null ? IPAddress.IPv6Any : destination;
        }

        int? sport = parse.GetValue(SourcePort);
        int? dport = parse.GetValue(DestinationPort);
        bool portsVaried = varied is TupleField.SourcePort or TupleField.DestinationPort;
        TransportProtocol transport = parse.GetValue(Protocol) switch
        {
            "tcp" => TransportProtocol.Tcp,
            "udp" => TransportProtocol.Udp,
            "none" => TransportProtocol.None,
            null => sport is not null || dport is not null || portsVaried ? TransportProtocol.Tcp : TransportProtocol.None,
            string other => throw new UsageException($"--proto: '{other}' is not tcp, udp or none"),
        };
        if (transport == TransportProtocol.None && (sport is not null || dport is not null || portsVaried))
        {
            throw new UsageException("--proto none hashes addresses only: ports have no place in it");
        }

        IPAddress? home = parse.GetValue(Home) is null ? null : Address(parse, Home, required: true);
        IPAddress? routing = parse.GetValue(Routing) is null ? null : Address(parse, Routing, required: true);
        try
        {
            return new RssTuple(source, destination, transport, (ushort)(sport ?? 0), (ushort)(dport ?? 0), home, routing);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.Split(" (Parameter")[0]);
        }
    }

    private static IPAddress Address(ParseResult parse, Option<string?> option, bool required)
    {
        string? text = parse.GetValue(option);
        if (text is null)
        {
            if (required)
            {
                throw new UsageException($"{option.Name}: missing; give an IPv4 or IPv6 address");
            }

            return IPAddress.Any;
        }

        if (!IPAddress.TryParse(text, out IPAddress? address) || address.AddressFamily is not (System.Net.Sockets.AddressFamily.InterNetwork or System.Net.Sockets.AddressFamily.InterNetworkV6) || text.Contains('%'))
        {
            throw new UsageException($"{option.Name}: '{text}' is not an IPv4 or IPv6 address");
        }

        return address;
    }
}
