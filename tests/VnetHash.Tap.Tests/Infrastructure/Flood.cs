using System.Runtime.InteropServices;
using VnetHash.Tap.Devices;
using VnetHash.Traffic;

namespace VnetHash.Tap.Tests.Infrastructure;

/// <summary>
/// Sends prebuilt Ethernet frames out of a tap as fast as one thread can: an AF_PACKET socket opened inside the test's
/// namespace, bound to the tap, past the qdisc, <c>sendmmsg</c> batches of 32. It counts every frame handed to the
/// device: accepted (tun queued it) and refused (tun dropped it: then <c>sendmmsg</c> stops at that frame with an
/// error, so each short batch refused exactly one), so <see cref="Offered"/> is what the kernel's counters must add up to.
/// </summary>
internal sealed unsafe class Flood : IDisposable
{
    private const int Batch = 32;
    private readonly int _fd;
    private readonly byte[][] _frames;
    private readonly Thread _thread;
    private readonly long _limit;
    private volatile bool _stop;
    private long _accepted;
    private long _refused;

    private Flood(int fd, byte[][] frames, long limit)
    {
        _fd = fd;
        _frames = frames;
        _limit = limit;
        _thread = new Thread(Run) { IsBackground = true, Name = "flood" };
        _thread.Start();
    }

    /// <summary>Frames the device queued.</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>Frames the device dropped on the way to its queues.</summary>
    public long Refused => Volatile.Read(ref _refused);

    /// <summary>Every frame handed to the device.</summary>
    public long Offered => Accepted + Refused;

    /// <summary>Whether the sender ran out of frames to send (it stops after <c>limit</c> offered frames when one was given).</summary>
    public bool Finished => !_thread.IsAlive;

    /// <summary>Starts flooding <paramref name="device"/> from a socket of <paramref name="ns"/>, until stopped or <paramref name="limit"/> frames were offered.</summary>
    public static Flood Start(NetworkNamespace ns, TapDevice device, byte[][]? frames = null, long limit = long.MaxValue)
    {
        int ifindex = device.InterfaceIndex;
        int fd = ns.Invoke(() =>
        {
            int socket = Native.Socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0);
            if (socket < 0)
            {
                throw new IOException($"AF_PACKET socket: errno {Marshal.GetLastPInvokeError()}");
            }

            var address = new Native.PacketAddress { Family = Native.AF_PACKET, InterfaceIndex = ifindex };
            int one = 1;
            if (Native.Bind(socket, &address, sizeof(Native.PacketAddress)) != 0 || Native.SetSockOpt(socket, Native.SOL_PACKET, Native.PACKET_QDISC_BYPASS, &one, sizeof(int)) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                Native.Close(socket);
                throw new IOException($"binding the AF_PACKET socket to {device.Name}: errno {errno}");
            }

            return socket;
        });
        return new Flood(fd, frames ?? MixedFrames(1024), limit);
    }

    /// <summary><paramref name="count"/> distinct 60–80-byte frames: IPv4/IPv6, TCP/UDP, in turn.</summary>
    public static byte[][] MixedFrames(int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        FrameBuilder builder = new FrameBuilder().Ethernet();
        builder = (i & 2) == 0
            ? builder.IPv4($"10.1.{i >> 8 & 255}.{i & 255}", $"10.2.0.{1 + (i % 200)}")
            : builder.IPv6($"2001:db8:1::{i + 1:x}", $"2001:db8:2::{(i * 40503) & 0xffff:x}");
        builder = (i & 1) == 0 ? builder.Tcp((ushort)(1024 + i), 443) : builder.Udp((ushort)(1024 + i), 4791);
        byte[] frame = builder.Build();
        return frame.Length >= 60 ? frame : [.. frame, .. new byte[60 - frame.Length]];
    })];

    /// <summary>Stops sending and waits for the sender.</summary>
    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    public void Dispose()
    {
        Stop();
        Native.Close(_fd);
    }

    private void Run()
    {
        GCHandle[] pins = [.. _frames.Select(f => GCHandle.Alloc(f, GCHandleType.Pinned))];
        Native.IoVector* vectors = stackalloc Native.IoVector[Batch];
        Native.MessageHeader* messages = stackalloc Native.MessageHeader[Batch];
        try
        {
            long next = 0;
            while (!_stop && Offered < _limit)
            {
                int count = (int)Math.Min(Batch, _limit - Offered);
                for (int b = 0; b < count; b++)
                {
                    byte[] frame = _frames[(next + b) % _frames.Length];
                    vectors[b] = new Native.IoVector { Base = (void*)pins[(next + b) % _frames.Length].AddrOfPinnedObject(), Length = (nuint)frame.Length };
                    messages[b] = new Native.MessageHeader { Vectors = &vectors[b], VectorCount = 1 };
                }

                int sent = Native.SendMmsg(_fd, messages, (uint)count, 0);
                int accepted = Math.Max(sent, 0);
                int refused = accepted < count ? 1 : 0;
                Interlocked.Add(ref _accepted, accepted);
                Interlocked.Add(ref _refused, refused);
                next += accepted + refused;
            }
        }
        finally
        {
            foreach (GCHandle pin in pins)
            {
                pin.Free();
            }
        }
    }
}
