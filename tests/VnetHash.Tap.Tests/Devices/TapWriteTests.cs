using System.Net;
using System.Net.Sockets;
using VnetHash.Packets;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Tests.Infrastructure;
using VnetHash.Traffic;
using VnetHash.VirtioNet;
using Xunit;

namespace VnetHash.Tap.Tests.Devices;

public sealed class TapWriteTests
{
    [RootFact]
    public void A_frame_written_to_a_queue_reaches_a_socket_in_the_namespace()
    {
        // linux-tap-ebpf.md §2: queue fd → stack; a zero header and full checksums are delivered.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 2);
        ns.Exec("ip", "addr", "add", "10.77.0.1/24", "dev", device.Name);
        using Socket socket = ns.Invoke(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Parse("10.77.0.1"), 6000));
            return s;
        });
        socket.ReceiveTimeout = 20000;
        byte[] frame = new FrameBuilder()
            .Ethernet(destination: device.MacAddress.GetAddressBytes())
            .IPv4("10.77.0.2", "10.77.0.1")
            .Udp(7000, 6000)
            .Payload("hello"u8.ToArray(), 17)
            .Build();

        device.Queues[1].WriteFrame(new byte[20], frame);

        byte[] received = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int length = socket.ReceiveFrom(received, ref from);
        Assert.Equal("hello"u8.ToArray(), received[..length]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.77.0.2"), 7000), from);

        // The same frame after a header given as a structure.
        device.Queues[0].WriteFrame(new VirtioNetHeader(), frame);
        length = socket.ReceiveFrom(received, ref from);
        Assert.Equal("hello"u8.ToArray(), received[..length]);
    }

    [RootFact]
    public void WaitReadable_times_out_on_an_empty_queue_and_wakes_for_a_frame()
    {
        // linux-tap-ebpf.md §2: a frame sent out of the tap is read from a queue fd.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        TapQueue queue = device.Queues[0];
        Assert.False(queue.WaitReadable(TimeSpan.FromMilliseconds(10)));

        using PacketSocket socket = TestTraffic.Open(ns, device);
        socket.Send(TestTraffic.Udp4(4000), 0x0800, TestTraffic.SelftestDestination);
        Assert.True(queue.WaitReadable(TimeSpan.FromSeconds(20)));
        Assert.True(queue.TryRead(new byte[2048], out int length));
        Assert.True(length > device.VnetHeaderSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.WaitReadable(TimeSpan.FromMilliseconds(-2)));
    }

    [RootFact]
    public void A_segmentation_header_without_a_segment_size_is_a_named_error()
    {
        // kernel-series.md §6.3 step 10: GSO with gso_size 0 is EINVAL in the kernel.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Tcp(1, 2).Build();
        var header = new VirtioNetHeader { GsoType = VirtioNetGsoType.TcpV4, GsoSize = 0 };

        var error = Assert.Throws<TapException>(() => device.Queues[0].WriteFrame(header, frame));
        Assert.Equal(TapError.InvalidFrame, error.Error);
        Assert.IsType<VirtioNetHeaderException>(error.InnerException);
    }

    [RootFact]
    public void A_header_the_kernel_would_reject_is_a_named_error_before_the_write()
    {
        // kernel-series.md §6.3 step 10: an unknown gso_type is EINVAL in the kernel; here it is named.
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Udp(1, 2).Build();
        byte[] header = new byte[20];
        header[1] = 2;

        var error = Assert.Throws<TapException>(() => device.Queues[0].WriteFrame(header, frame));
        Assert.Equal(TapError.InvalidFrame, error.Error);
        Assert.Equal(0, error.Errno);
        VirtioNetHeaderException rule = Assert.IsType<VirtioNetHeaderException>(error.InnerException);
        Assert.Contains(rule.Error.ToString(), error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void A_header_of_the_wrong_size_is_refused()
    {
        using var ns = new NetworkNamespace();
        using TapDevice device = TestTaps.Create(ns, queues: 1);
        var error = Assert.Throws<TapException>(() => device.Queues[0].WriteFrame(new byte[12], new byte[60]));
        Assert.Equal(TapError.InvalidFrame, error.Error);
        Assert.Contains("20", error.Message, StringComparison.Ordinal);
    }
}
