using System.Runtime.InteropServices;
using System.Text;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Errors;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Ethtool;

/// <summary>
/// Reads a NIC's RSS settings from the kernel, as <c>ethtool -x IF</c> and <c>ethtool -n IF rx-flow-hash FLOW</c> do:
/// <c>SIOCETHTOOL</c> with <c>ETHTOOL_GRXRINGS</c>, <c>ETHTOOL_GRSSH</c> and <c>ETHTOOL_GRXFH</c>, on an interface of
/// the calling thread's network namespace. Reading needs no privilege.
/// </summary>
public static unsafe class EthtoolDevice
{
    /// <summary>Reads the RSS settings of <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or longer than an interface name can be.</exception>
    /// <exception cref="TapException">The device does not exist (<see cref="TapError.DeviceGone"/>), or has no RSS (<see cref="TapError.NotSupported"/>; the message says so).</exception>
    /// <exception cref="ConfigurationException">A flow type hashes fields no virtio-net hash type describes.</exception>
    public static EthtoolRss ReadRss(string device)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        if (Encoding.UTF8.GetByteCount(device) >= Interop.Sys.IFNAMSIZ)
        {
            throw new ArgumentException($"'{device}' is longer than an interface name can be ({Interop.Sys.IFNAMSIZ - 1} bytes)", nameof(device));
        }

        using FileDescriptorHandle socket = Interop.Checked.Socket(Interop.Sys.AF_INET, Interop.Sys.SOCK_DGRAM, 0, device);

        // ethtool takes the ring count from GRXRINGS; a driver without it may still have a table.
        var rings = new Interop.Sys.EthtoolRxnfc { Command = Interop.Sys.ETHTOOL_GRXRINGS };
        int ringCount = Call(socket, device, &rings) == 0 ? (int)Math.Min(rings.Data, int.MaxValue) : 0;

        var head = new Interop.Sys.EthtoolRxfh { Command = Interop.Sys.ETHTOOL_GRSSH };
        int errno = Call(socket, device, &head);
        if (errno != 0)
        {
            throw NoRss(errno, device);
        }

        int length = sizeof(Interop.Sys.EthtoolRxfh) + (int)head.IndirectionSize * sizeof(uint) + (int)head.KeySize;
        byte[] buffer = new byte[length];
        fixed (byte* data = buffer)
        {
            var request = (Interop.Sys.EthtoolRxfh*)data;
            request->Command = Interop.Sys.ETHTOOL_GRSSH;
            request->IndirectionSize = head.IndirectionSize;
            request->KeySize = head.KeySize;
            errno = Call(socket, device, request);
            if (errno != 0)
            {
                throw NoRss(errno, device);
            }
        }

        return Decode(device, ringCount, buffer, ReadTypes(socket, device));
    }

    /// <summary>Builds the settings from a <c>struct ethtool_rxfh</c> reply: the fixed part, the u32 table, the key.</summary>
    internal static EthtoolRss Decode(string device, int ringCount, ReadOnlySpan<byte> reply, HashTypes? types)
    {
        Interop.Sys.EthtoolRxfh head = MemoryMarshal.Read<Interop.Sys.EthtoolRxfh>(reply);
        ReadOnlySpan<byte> config = reply[sizeof(Interop.Sys.EthtoolRxfh)..];
        ReadOnlySpan<uint> entries = MemoryMarshal.Cast<byte, uint>(config[..((int)head.IndirectionSize * sizeof(uint))]);
        var table = new ushort[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i] > ushort.MaxValue)
            {
                throw new TapException(TapError.InvalidArgument, 0, "ETHTOOL_GRSSH", $"{device}'s indirection table entry {i} is {entries[i]}, beyond the 16-bit queue indices RSS models");
            }

            table[i] = (ushort)entries[i];
        }

        byte[] key = config.Slice((int)head.IndirectionSize * sizeof(uint), (int)head.KeySize).ToArray();
        return new EthtoolRss(device, ringCount, table, key, (EthtoolHashFunctions)head.HashFunction, (EthtoolInputTransform)head.InputTransform, types);
    }

    /// <summary>The hash types the flow types' fields amount to; null when the driver answers none of them.</summary>
    private static HashTypes? ReadTypes(FileDescriptorHandle socket, string device)
    {
        HashTypes? types = null;
        foreach (EthtoolFlowType flowType in EthtoolFlowHash.FlowTypes)
        {
            var request = new Interop.Sys.EthtoolRxnfc { Command = Interop.Sys.ETHTOOL_GRXFH, FlowType = (uint)flowType };
            if (Call(socket, device, &request) == 0)
            {
                types = EthtoolFlowHash.Apply(types ?? HashTypes.AllNonEx, flowType, (EthtoolFlowFields)request.Data);
            }
        }

        return types;
    }

    private static TapException NoRss(int errno, string device)
    {
        TapException error = Interop.IoErrors.Create(errno, "ETHTOOL_GRSSH", device);
        return error.Error == TapError.NotSupported
            ? new TapException(TapError.NotSupported, errno, "ETHTOOL_GRSSH", $"{device} does not support RSS: its driver has no RSS settings to report (ETHTOOL_GRSSH: errno {errno}, {Marshal.GetPInvokeErrorMessage(errno)})", error)
            : error;
    }

    private static int Call(FileDescriptorHandle socket, string device, void* command)
    {
        Interop.Sys.IfReq request = Devices.TapDevice.NewRequest(device);
        request.Data = command;
        return Interop.Checked.TryIoctl(socket, Interop.Sys.SIOCETHTOOL, &request);
    }
}
