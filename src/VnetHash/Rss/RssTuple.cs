using System.Net;
using System.Net.Sockets;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Rss;

/// <summary>
/// A flow given by its fields instead of a frame: addresses, ports, transport and, for the IPv6 <c>_EX</c> types,
/// the home address and type-2 routing address. Hashed and steered exactly as a frame carrying these fields would be.
/// </summary>
/// <remarks>
/// A home or routing address marks the packet as one with IPv6 extension headers (the Destination Options or
/// Routing header that carries it), so the <c>_EX</c> types apply to it as the specification orders them.
/// </remarks>
public sealed record RssTuple
{
    private const int MaxAddressLength = 16;
    private const int PortsLength = 4;

    /// <summary>Creates a tuple; ports count only with a transport.</summary>
    /// <exception cref="ArgumentException">The addresses differ in family, are neither IPv4 nor IPv6, or a home/routing address is given for IPv4.</exception>
    public RssTuple(
        IPAddress source,
        IPAddress destination,
        TransportProtocol transport = TransportProtocol.None,
        ushort sourcePort = 0,
        ushort destinationPort = 0,
        IPAddress? homeAddress = null,
        IPAddress? routingAddress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{source} is neither an IPv4 nor an IPv6 address.", nameof(source));
        }

        if (destination.AddressFamily != source.AddressFamily)
        {
            throw new ArgumentException($"The source {source} and destination {destination} are of different address families.", nameof(destination));
        }

        foreach (IPAddress? extra in (ReadOnlySpan<IPAddress?>)[homeAddress, routingAddress])
        {
            if (extra is not null && (extra.AddressFamily != AddressFamily.InterNetworkV6 || source.AddressFamily != AddressFamily.InterNetworkV6))
            {
                throw new ArgumentException($"A home or routing address ({extra}) exists only in IPv6 packets with IPv6 addresses.", extra == homeAddress ? nameof(homeAddress) : nameof(routingAddress));
            }
        }

        if (!Enum.IsDefined(transport))
        {
            throw new ArgumentException($"{(int)transport} is not a transport the hash rules know.", nameof(transport));
        }

        Source = source;
        Destination = destination;
        Transport = transport;
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
        HomeAddress = homeAddress;
        RoutingAddress = routingAddress;
    }

    /// <summary>The source address.</summary>
    public IPAddress Source { get; }

    /// <summary>The destination address, of the same family.</summary>
    public IPAddress Destination { get; }

    /// <summary>TCP, UDP or none (address-only hashing).</summary>
    public TransportProtocol Transport { get; }

    /// <summary>The source port; used only with a transport.</summary>
    public ushort SourcePort { get; }

    /// <summary>The destination port; used only with a transport.</summary>
    public ushort DestinationPort { get; }

    /// <summary>The IPv6 Home Address option's address (RFC 6275 §6.3), or null.</summary>
    public IPAddress? HomeAddress { get; }

    /// <summary>The IPv6 type-2 Routing header's address (RFC 6275 §6.4), or null.</summary>
    public IPAddress? RoutingAddress { get; }

    /// <summary>Whether the tuple is IPv6.</summary>
    public bool IsIPv6 => Source.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The hash and report the hasher's rules give a packet with these fields.</summary>
    public HashResult Hash(PacketHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        Span<byte> buffer = stackalloc byte[BufferLength];
        PacketInfo info = Lay(buffer);
        return hasher.Hash(buffer, in info);
    }

    /// <summary>The hash, report and queue steering gives a packet with these fields among <paramref name="queueCount"/> queues.</summary>
    public RssDecision Decide(RssSteering steering, int queueCount)
    {
        ArgumentNullException.ThrowIfNull(steering);
        HashResult hash = Hash(steering.Hasher);
        return new RssDecision(hash, steering.SelectQueue(hash, queueCount));
    }

    /// <summary>Source, destination, ports, home address, routing address.</summary>
    internal const int BufferLength = 2 * MaxAddressLength + PortsLength + 2 * MaxAddressLength;

    /// <summary>
    /// Writes the fields into <paramref name="buffer"/> as the dissector would find them in a frame (addresses side by
    /// side, then the ports, then the home and routing addresses) and returns where they lie, so the hasher applies
    /// its own rules, symmetric modes included, to them.
    /// </summary>
    internal PacketInfo Lay(Span<byte> buffer)
    {
        buffer.Clear();
        int length = IsIPv6 ? 16 : 4;
        Source.TryWriteBytes(buffer, out _);
        Destination.TryWriteBytes(buffer[length..], out _);
        int ports = 2 * length;
        if (Transport != TransportProtocol.None)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(buffer[ports..], SourcePort);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(buffer[(ports + 2)..], DestinationPort);
        }

        int home = ports + PortsLength;
        int routing = home + MaxAddressLength;
        HomeAddress?.TryWriteBytes(buffer[home..], out _);
        RoutingAddress?.TryWriteBytes(buffer[routing..], out _);
        return new PacketInfo
        {
            Network = IsIPv6 ? NetworkProtocol.IPv6 : NetworkProtocol.IPv4,
            AddressOffset = 0,
            Protocol = Transport == TransportProtocol.None ? -1 : (int)Transport,
            Transport = Transport,
            PortsOffset = Transport == TransportProtocol.None ? -1 : ports,
            IsFragment = false,
            HasExtensionHeaders = HomeAddress is not null || RoutingAddress is not null,
            HomeAddressOffset = HomeAddress is null ? -1 : home,
            RoutingAddressOffset = RoutingAddress is null ? -1 : routing,
        };
    }
}
