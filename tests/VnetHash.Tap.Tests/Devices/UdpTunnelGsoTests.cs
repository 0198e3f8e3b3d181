using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Traffic;
using VnetHash.VirtioNet;
using Xunit;

namespace VnetHash.Tap.Tests.Devices;

/// <summary>
/// UDP-tunnel segmentation through real taps (Linux 6.17 on: <c>TUN_F_UDP_TUNNEL_GSO</c> and the 24-byte
/// <c>virtio_net_hdr_v1_hash_tunnel</c>): one VXLAN super-packet written into a tap crosses a bridge; a tap that
/// accepts the offload reads it whole with its tunnel offsets, a tap that does not reads it cut into segments.
/// </summary>
public sealed class UdpTunnelGsoTests
{
    private const int HeaderSize = VirtioNetHeader.HashTunnelSize;
    private const int SegmentSize = 1000;
    private const int Segments = 4;
    private const int OuterUdp = 14 + 20;
    private const int InnerIp = OuterUdp + 8 + 8 + 14;
    private const int InnerTcp = InnerIp + 20;
    private const uint FirstSequence = 0x01000000;

    private const TapOffloads TunnelGso = TapOffloads.Checksum | TapOffloads.Tso4 | TapOffloads.Tso6 | TapOffloads.UdpTunnelGso | TapOffloads.UdpTunnelGsoCsum;

    [RootFact]
    public void A_vxlan_super_packet_crosses_a_bridge_whole_to_a_tap_with_the_offload_and_segmented_to_one_without()
    {
        using var ns = new NetworkNamespace();
        string bridge = TestTaps.NewName();
        // Without multicast snooping the bridge sends no IGMP report of its own through the ports.
        ns.Exec("ip", "link", "add", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0");
        ns.DisableIPv6(bridge);
        ns.Exec("ip", "link", "set", bridge, "up");
        using TapDevice writer = Create(ns, bridge, TunnelGso);
        using TapDevice whole = Create(ns, bridge, TunnelGso);
        using TapDevice segmented = Create(ns, bridge, TapOffloads.None);

        (byte[] frame, VirtioNetHeader header) = SuperPacket();
        writer.Queues[0].WriteFrame(header, frame);

        // The tap with the offload: one frame, the super-packet, and the kernel's own 24-byte header for it.
        byte[] read = ReadFrame(whole);
        VirtioNetHeader received = VirtioNetHeader.ReadFrom(read.AsSpan(0, HeaderSize), VnetByteOrder.LittleEndian);
        Assert.Equal(VirtioNetGsoType.TcpV4 | VirtioNetGsoType.UdpTunnelIPv4, received.GsoType);
        Assert.Equal(SegmentSize, received.GsoSize);
        Assert.Equal(OuterUdp, received.OuterThOffset);
        Assert.Equal(InnerIp, received.InnerNhOffset);
        Assert.Equal(InnerTcp, received.CsumStart);
        Assert.Equal(16, received.CsumOffset);
        Assert.True((received.Flags & VirtioNetHeaderFlags.NeedsCsum) != 0);
        Assert.Equal(frame.Length, read.Length - HeaderSize);
        Assert.Equal(frame.AsSpan(InnerTcp + 20).ToArray(), read.AsSpan(HeaderSize + InnerTcp + 20).ToArray());

        // The tap without: the kernel cut it into gso_size segments, each a whole VXLAN frame with complete checksums.
        var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.All, HashProfile.VirtioSpec, SymmetricMode.None, TunnelTypes.Vxlan);
        HashResult inner = hasher.Hash(frame, FrameKind.Ethernet);
        Assert.Equal(HashReport.TcpV4, inner.Report);
        for (int i = 0; i < Segments; i++)
        {
            byte[] segment = ReadFrame(segmented)[HeaderSize..];
            Assert.Equal(InnerTcp + 20 + SegmentSize, segment.Length);
            Assert.Equal(FirstSequence + (uint)(i * SegmentSize), BinaryPrimitives.ReadUInt32BigEndian(segment.AsSpan(InnerTcp + 4)));
            Assert.Equal(frame.AsSpan(InnerTcp + 20 + (i * SegmentSize), SegmentSize).ToArray(), segment.AsSpan(InnerTcp + 20).ToArray());
            Assert.Equal(0, FrameBuilder.InternetChecksum(segment.AsSpan(InnerIp, 20)));
            Assert.Equal(0, TcpChecksum(segment));
            Assert.Equal(segment.Length - OuterUdp, BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(OuterUdp + 4)));

            // Every segment is hashed on its inner header to the super-packet's hash: one inner flow, one queue.
            Assert.Equal(inner, hasher.Hash(segment, FrameKind.Ethernet));
        }

        Assert.False(segmented.Queues[0].WaitReadable(TimeSpan.FromMilliseconds(200)));
    }

    [RootFact]
    public void A_tunnel_gso_header_the_rules_refuse_is_a_named_error_before_the_kernel_sees_it()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1, headerSize: HeaderSize);
        (byte[] frame, VirtioNetHeader header) = SuperPacket();
        var error = Assert.Throws<TapException>(() => device.Queues[0].WriteFrame(header with { InnerNhOffset = OuterUdp + 4 }, frame));
        Assert.Equal(TapError.InvalidFrame, error.Error);
        Assert.Equal(VirtioNetHeaderError.InnerNetworkOffsetTooSmall, Assert.IsType<VirtioNetHeaderException>(error.InnerException).Error);
    }

    [RootFact]
    public void The_kernel_refuses_what_the_validator_refuses()
    {
        // Written with the plain write call, past the validator: tun's own answer to the same headers is EINVAL.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1, headerSize: HeaderSize);
        (byte[] frame, VirtioNetHeader header) = SuperPacket();
        VirtioNetHeader[] refused =
        [
            header with { InnerNhOffset = OuterUdp + 4 },
            header with { OuterThOffset = 33 },
            header with { GsoType = VirtioNetGsoType.UdpTunnelIPv4 | VirtioNetGsoType.UdpTunnelIPv6 | VirtioNetGsoType.TcpV4 },
            header with { Flags = VirtioNetHeaderFlags.None },
            header with { CsumStart = InnerIp + 19 },
        ];
        foreach (VirtioNetHeader bad in refused)
        {
            var buffer = new byte[HeaderSize + frame.Length];
            bad.WriteTo(buffer.AsSpan(0, HeaderSize), VnetByteOrder.LittleEndian);
            frame.CopyTo(buffer, HeaderSize);
            Assert.False(VirtioNetWriteValidator.TryValidate(buffer, HeaderSize, VnetByteOrder.LittleEndian, FrameKind.Ethernet, out _));
            Assert.Equal(Interop.Errno.EINVAL, WriteRaw(device, buffer));
        }
    }

    [RootFact]
    public void On_a_tun_device_the_kernel_still_counts_an_ethernet_header_before_the_outer_transport()
    {
        // The outer UDP header of an IP packet starts at 20, below the 14 + 20 tun requires whatever the device kind.
        using var ns = new NetworkNamespace();
        string name = TestTaps.NewName();
        using TapDevice tun = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions { Name = name, Kind = TapKind.Tun, VnetHeaderSize = HeaderSize, BringUp = false }));
        ns.DisableIPv6(tun.Name);
        tun.SetLinkUp(true);
        (byte[] frame, VirtioNetHeader header) = SuperPacket();
        VirtioNetHeader shifted = header with { OuterThOffset = OuterUdp - 14, InnerNhOffset = InnerIp - 14, CsumStart = InnerTcp - 14, HdrLen = InnerTcp + 20 - 14 };
        var buffer = new byte[HeaderSize + frame.Length - 14];
        shifted.WriteTo(buffer.AsSpan(0, HeaderSize), VnetByteOrder.LittleEndian);
        frame.AsSpan(14).CopyTo(buffer.AsSpan(HeaderSize));
        Assert.False(VirtioNetWriteValidator.TryValidate(buffer, HeaderSize, VnetByteOrder.LittleEndian, FrameKind.IP, out VirtioNetHeaderError error));
        Assert.Equal(VirtioNetHeaderError.OuterTransportOffsetTooSmall, error);
        Assert.Equal(Interop.Errno.EINVAL, WriteRaw(tun, buffer));
    }

    private static TapDevice Create(NetworkNamespace ns, string bridge, TapOffloads offloads)
    {
        string name = TestTaps.NewName();
        TapDevice device = ns.Invoke(() => TapDevice.Create(new TapDeviceOptions
        {
            Name = name,
            VnetHeaderSize = HeaderSize,
            Offloads = offloads,
            BringUp = false,
        }));
        ns.DisableIPv6(device.Name);
        ns.Exec("ip", "link", "set", device.Name, "master", bridge);
        device.SetLinkUp(true);
        return device;
    }

    /// <summary>
    /// TCP over IPv4 in VXLAN over IPv4, <see cref="Segments"/> segments of payload, as a driver hands it over: the
    /// outer UDP checksum zero (no UDP_TUNNEL_CSUM), the inner TCP checksum holding the pseudo-header sum.
    /// </summary>
    private static (byte[] Frame, VirtioNetHeader Header) SuperPacket()
    {
        byte[] payload = new byte[Segments * SegmentSize];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i * 7);
        }

        byte[] frame = new FrameBuilder()
            .Ethernet(destination: [0x02, 0x55, 0, 0, 0, 0x01], source: [0x02, 0x55, 0, 0, 0, 0x02])
            .IPv4("10.99.0.1", "10.99.0.2")
            .Udp(49152, UdpTunnelPorts.IanaVxlan)
            .Vxlan(42)
            .Ethernet()
            .IPv4("172.31.0.1", "172.31.0.2")
            .Tcp(40000, 443, sequence: FirstSequence, flags: 0x10)
            .Payload(payload, 6)
            .Build();
        frame[OuterUdp + 6] = 0;
        frame[OuterUdp + 7] = 0;
        ushort pseudo = (ushort)~PseudoHeaderChecksum(frame, frame.Length - InnerTcp);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(InnerTcp + 16), pseudo);
        var header = new VirtioNetHeader(
            VirtioNetHeaderFlags.NeedsCsum,
            VirtioNetGsoType.TcpV4 | VirtioNetGsoType.UdpTunnelIPv4,
            hdrLen: InnerTcp + 20,
            gsoSize: SegmentSize,
            csumStart: InnerTcp,
            csumOffset: 16,
            outerThOffset: OuterUdp,
            innerNhOffset: InnerIp);
        return (frame, header);
    }

    /// <summary>The complemented sum of the inner TCP pseudo-header (addresses, protocol, length) alone.</summary>
    private static ushort PseudoHeaderChecksum(byte[] frame, int tcpLength)
    {
        byte[] pseudo = new byte[12];
        frame.AsSpan(InnerIp + 12, 8).CopyTo(pseudo);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)tcpLength);
        return FrameBuilder.InternetChecksum(pseudo);
    }

    /// <summary>The checksum over the inner TCP segment and its pseudo-header: 0 when the segment's checksum is right.</summary>
    private static ushort TcpChecksum(byte[] segment)
    {
        byte[] pseudo = new byte[12];
        segment.AsSpan(InnerIp + 12, 8).CopyTo(pseudo);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)(segment.Length - InnerTcp));
        return FrameBuilder.InternetChecksum([.. pseudo, .. segment.AsSpan(InnerTcp)]);
    }

    private static byte[] ReadFrame(TapDevice device)
    {
        TapQueue queue = device.Queues[0];
        var buffer = new byte[HeaderSize + 70_000];
        Assert.True(queue.WaitReadable(TimeSpan.FromSeconds(20)), $"nothing arrived on {device.Name}");
        Assert.True(queue.TryRead(buffer, out int length));
        return buffer[..length];
    }

    /// <summary>One write(2) of the whole buffer on the queue's fd; the errno, or 0 when the kernel took it.</summary>
    private static unsafe int WriteRaw(TapDevice device, byte[] buffer)
    {
        fixed (byte* pointer = buffer)
        {
            nint written = Interop.Sys.Write(device.Queues[0].Handle.DangerousGetFd(), pointer, (nuint)buffer.Length);
            return written < 0 ? Interop.IoErrors.LastErrno : 0;
        }
    }
}
