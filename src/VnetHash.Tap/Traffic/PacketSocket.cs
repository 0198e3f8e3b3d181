using System.Buffers.Binary;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Traffic;

/// <summary>
/// An AF_PACKET socket bound to one interface, for sending test traffic out of a tap (the packets then appear on
/// the tap's queues). It lives in the network namespace of the thread that opened it. Needs CAP_NET_RAW.
/// </summary>
public sealed unsafe class PacketSocket : IDisposable
{
    private readonly FileDescriptorHandle _fd;
    private readonly int _interfaceIndex;
    private readonly bool _datagram;

    private PacketSocket(FileDescriptorHandle fd, int interfaceIndex, bool datagram)
    {
        _fd = fd;
        _interfaceIndex = interfaceIndex;
        _datagram = datagram;
    }

    /// <summary>
    /// Opens a <c>SOCK_DGRAM</c> packet socket: the kernel builds the Ethernet header from the destination MAC and
    /// EtherType given to <see cref="Send"/>, as the series' <c>tun_vnet_rss</c> selftest does.
    /// </summary>
    /// <exception cref="Errors.TapException">The socket could not be created (for example without CAP_NET_RAW).</exception>
    public static PacketSocket OpenDatagram(int interfaceIndex) => Open(interfaceIndex, datagram: true);

    /// <summary>Opens a <c>SOCK_RAW</c> packet socket: <see cref="SendFrame"/> sends whole Ethernet frames.</summary>
    /// <exception cref="Errors.TapException">The socket could not be created (for example without CAP_NET_RAW).</exception>
    public static PacketSocket OpenRaw(int interfaceIndex) => Open(interfaceIndex, datagram: false);

    private static PacketSocket Open(int interfaceIndex, bool datagram)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interfaceIndex);
        // Protocol 0: the socket sends only and receives nothing.
        FileDescriptorHandle fd = Interop.Checked.Socket(Interop.Sys.AF_PACKET, datagram ? Interop.Sys.SOCK_DGRAM : Interop.Sys.SOCK_RAW, 0, $"AF_PACKET socket on interface {interfaceIndex}");
        return new PacketSocket(fd, interfaceIndex, datagram);
    }

    /// <summary>Sends an L3 payload in one Ethernet frame to <paramref name="destination"/> with the given EtherType (datagram sockets).</summary>
    /// <exception cref="Errors.TapException">The kernel refused (for example the link is down).</exception>
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
    /// <exception cref="Errors.TapException">The kernel refused (for example the link is down).</exception>
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
        Interop.Sys.SockAddrLl address = default;
        address.Family = Interop.Sys.AF_PACKET;
        address.Protocol = BinaryPrimitives.ReverseEndianness(etherType);
        address.InterfaceIndex = _interfaceIndex;
        address.AddressLength = 6;
        destination.CopyTo(new Span<byte>(address.Address, 6));

        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            fixed (byte* pointer = bytes)
            {
                nint sent;
                do
                {
                    sent = Interop.Sys.SendTo(_fd.DangerousGetFd(), pointer, (nuint)bytes.Length, 0, &address, (uint)sizeof(Interop.Sys.SockAddrLl));
                }
                while (sent < 0 && Interop.IoErrors.LastErrno == Interop.Errno.EINTR);

                if (sent < 0)
                {
                    throw Interop.IoErrors.Create(Interop.IoErrors.LastErrno, "sendto", $"interface {_interfaceIndex}", "CAP_NET_RAW");
                }
            }
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _fd.Dispose();
}
