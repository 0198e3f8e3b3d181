using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace VnetHash.Traffic;

/// <summary>
/// An AF_PACKET socket bound to one interface, for sending test traffic out of a tap (the packets then appear on
/// the tap's queues). It lives in the network namespace of the thread that opened it. Needs CAP_NET_RAW.
/// </summary>
public sealed class PacketSocket : IDisposable
{
    // struct sockaddr_ll (linux/if_packet.h): family, protocol (big-endian), ifindex, hatype, pkttype, halen, addr[8].
    private const int AddressSize = 20;

    private readonly Socket _socket;
    private readonly int _interfaceIndex;
    private readonly bool _datagram;
    private readonly SocketAddress _address = new(AddressFamily.Packet, AddressSize);

    private PacketSocket(Socket socket, int interfaceIndex, bool datagram)
    {
        _socket = socket;
        _interfaceIndex = interfaceIndex;
        _datagram = datagram;
    }

    /// <summary>
    /// Opens a <c>SOCK_DGRAM</c> packet socket: the kernel builds the Ethernet header from the destination MAC and
    /// EtherType given to <see cref="Send"/>, as the series' <c>tun_vnet_rss</c> selftest does.
    /// </summary>
    /// <exception cref="SocketException">The socket could not be created (for example without CAP_NET_RAW).</exception>
    public static PacketSocket OpenDatagram(int interfaceIndex) => Open(interfaceIndex, datagram: true);

    /// <summary>Opens a <c>SOCK_RAW</c> packet socket: <see cref="SendFrame"/> sends whole Ethernet frames.</summary>
    /// <exception cref="SocketException">The socket could not be created (for example without CAP_NET_RAW).</exception>
    public static PacketSocket OpenRaw(int interfaceIndex) => Open(interfaceIndex, datagram: false);

    private static PacketSocket Open(int interfaceIndex, bool datagram)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interfaceIndex);
        // Protocol 0: the socket sends only and receives nothing.
        var socket = new Socket(AddressFamily.Packet, datagram ? SocketType.Dgram : SocketType.Raw, ProtocolType.Unspecified);
        return new PacketSocket(socket, interfaceIndex, datagram);
    }

    /// <summary>Sends an L3 payload in one Ethernet frame to <paramref name="destination"/> with the given EtherType (datagram sockets).</summary>
    /// <exception cref="SocketException">The kernel refused (for example the link is down).</exception>
    public void Send(ReadOnlySpan<byte> payload, ushort etherType, ReadOnlySpan<byte> destination)
    {
        if (!_datagram)
        {
            throw new InvalidOperationException("a raw packet socket sends whole frames: use SendFrame");
        }

        if (destination.Length != 6)
        {
            throw new ArgumentException($"a MAC address has 6 bytes, got {destination.Length}", nameof(destination));
        }

        SendCore(payload, etherType, destination);
    }

    /// <summary>Sends one whole Ethernet frame (raw sockets).</summary>
    /// <exception cref="SocketException">The kernel refused (for example the link is down).</exception>
    public void SendFrame(ReadOnlySpan<byte> frame)
    {
        if (_datagram)
        {
            throw new InvalidOperationException("a datagram packet socket sends payloads: use Send");
        }

        if (frame.Length < 14)
        {
            throw new ArgumentException($"an Ethernet frame has at least 14 bytes, got {frame.Length}", nameof(frame));
        }

        SendCore(frame, BinaryPrimitives.ReadUInt16BigEndian(frame[12..]), frame[..6]);
    }

    private void SendCore(ReadOnlySpan<byte> bytes, ushort etherType, ReadOnlySpan<byte> destination)
    {
        // The family (bytes 0-1) was written by the SocketAddress constructor.
        Span<byte> address = _address.Buffer.Span;
        address[2..].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(address[2..], etherType);
        MemoryMarshal.Write(address[4..], in _interfaceIndex);
        address[11] = 6;
        destination.CopyTo(address[12..]);
        _socket.SendTo(bytes, SocketFlags.None, _address);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();
}
