// Usage: VnetHash.Sample TAP PEER [FLOWS]
//   TAP   a multi-queue tap (`ip tuntap add TAP mode tap multi_queue`), up, with an address
//   PEER  an address on the tap's subnet with a permanent neighbour entry, so datagrams to it leave through TAP
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Devices;
using VnetHash.Tap.Reading;
using VnetHash.Tap.Steering;

// RSS as virtio-net defines it: the Toeplitz hash of a packet's addresses and ports picks table[hash & mask].
// RssSteering gives any frame's queue and hash report, with no OS involved. This frame is TCP from
// 66.9.149.187:2794 to 161.142.100.80:1766; Microsoft's RSS verification suite gives its hash, 0x51ccc178.
const int Queues = 4;
RssConfiguration configuration = RssConfiguration.RoundRobin(Queues);
var rss = new RssSteering(configuration);
byte[] frame = Convert.FromHexString(
    "020000000001020000000002080045000028000040004006" +
    "5d2d420995bba18e64500aea06e600000000000000005002ffffc06f0000");
RssDecision decision = rss.Decide(frame, FrameKind.Ethernet, Queues);
Console.WriteLine($"example: queue {decision.Queue} hash 0x{decision.Hash.Value:x8} {decision.Hash.Report}");

string name = args[0];
var peer = new IPEndPoint(IPAddress.Parse(args[1]), 9);
int flows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
int[] ports = [.. Enumerable.Range(0, flows).Select(i => 40000 + (128 * i))];

// Now real packets: four queues on the tap. The kernel runs VnetHash's eBPF program to choose each packet's
// queue, and every frame arrives with its hash report in the virtio-net header.
using TapDevice device = TapDevice.Attach(new TapDeviceOptions { Name = name, QueueCount = Queues });
using RssTap tap = RssTap.Start(device, configuration, new RssTapOptions { Backend = SteeringBackendKind.Ebpf });
Console.WriteLine($"steering: {tap.Selection.Kind}");

// One UDP flow per source port, out through the tap.
foreach (int port in ports)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    socket.Bind(new IPEndPoint(IPAddress.Any, port));
    socket.SendTo("hello"u8, peer);
}

int remaining = flows;
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
try
{
    await Task.WhenAll(tap.Queues.Select(async queue =>
    {
        await foreach (TapFrame received in queue.ReadAllAsync(timeout.Token))
        {
            using TapFrame owned = received;
            PacketInfo packet = PacketDissector.Dissect(received.Frame, FrameKind.Ethernet);
            int port = packet.Transport == TransportProtocol.Udp ? BinaryPrimitives.ReadUInt16BigEndian(received.Frame[packet.PortsOffset..]) : 0;
            if (!ports.Contains(port))
            {
                continue;
            }

            RssDecision core = rss.Decide(received.Frame, FrameKind.Ethernet, Queues);
            Console.WriteLine(
                $"flow {port}: queue {received.Queue} hash 0x{received.Hash.Value:x8} {received.Hash.Report}; " +
                $"core: queue {core.Queue} hash 0x{core.Hash.Value:x8} {core.Hash.Report}");
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                await timeout.CancelAsync();
            }
        }
    }));
}
catch (OperationCanceledException)
{
}

if (remaining > 0)
{
    Console.Error.WriteLine($"{remaining} of {flows} flows did not arrive within 10 s");
    return 1;
}

return 0;
