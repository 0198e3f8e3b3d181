using VnetHash.Tap.Devices;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>
/// The tested multi-queue tap and a plain source tap joined by a bridge, as the series' own v5 selftest does: a
/// frame written into the source tap is received by the bridge and transmitted through the tested tap, which is
/// where the kernel chooses its queue. Unlike an AF_PACKET socket bound to the tap, this path parses VLAN and
/// QinQ tags correctly (series-kernel-behaviour.md, "Two ways in").
/// </summary>
internal sealed class BridgedTaps : IDisposable
{
    private BridgedTaps(TapDevice destination, TapDevice source, string bridge)
    {
        Destination = destination;
        Source = source;
        Bridge = bridge;
    }

    /// <summary>The tested tap: 20-byte little-endian vnet header, so the kernel's hash report fits.</summary>
    public TapDevice Destination { get; }

    /// <summary>The tap frames are written into (no vnet header).</summary>
    public TapDevice Source { get; }

    /// <summary>The bridge's name.</summary>
    public string Bridge { get; }

    public static BridgedTaps Create(string prefix, int queues)
    {
        Shell.DisableIPv6ByDefault();
        TapDevice destination = TapDevice.Create(new TapDeviceOptions { Name = $"{prefix}d", QueueCount = queues, BringUp = false });
        TapDevice? source = null;
        string bridge = $"{prefix}br";
        try
        {
            source = TapDevice.Create(new TapDeviceOptions { Name = $"{prefix}s", QueueCount = 1, VnetHeaderSize = 0, BringUp = false });
            Shell.Run("ip", "link", "add", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
            foreach (string name in new[] { bridge, destination.Name, source.Name })
            {
                Shell.DisableIPv6(name);
            }

            Shell.Run("ip", "link", "set", destination.Name, "master", bridge);
            Shell.Run("ip", "link", "set", source.Name, "master", bridge);
            Shell.Run("ip", "link", "set", bridge, "up");
            destination.SetLinkUp(true);
            source.SetLinkUp(true);
            return new BridgedTaps(destination, source, bridge);
        }
        catch
        {
            source?.Dispose();
            destination.Dispose();
            _ = Shell.TryRun("ip", "link", "del", bridge);
            throw;
        }
    }

    /// <summary>Writes one frame into the source tap; the bridge forwards it out of the tested tap.</summary>
    public void Send(ReadOnlySpan<byte> frame) => Source.Queues[0].WriteFrame([], frame);

    public void Dispose()
    {
        Source.Dispose();
        Destination.Dispose();
        _ = Shell.TryRun("ip", "link", "del", Bridge);
    }
}
