using VnetHash.Packets;

namespace VnetHash.Cli.Analysis;

/// <summary>64-bit hashes of a packet's 5-tuple (addresses, ports, protocol), read in place from the frame: per direction, and per connection.</summary>
public static class FlowKey
{
    /// <summary>The hash of the 5-tuple of a dissected IP frame.</summary>
    public static ulong Hash(ReadOnlySpan<byte> frame, in PacketInfo info)
    {
        // FNV-1a over the tuple bytes, then the SplitMix64 finaliser so that every output bit depends on every
        // input bit, which HyperLogLog's register choice and rank need.
        ulong hash = 14695981039346656037UL;
        int length = info.AddressLength * 2;
        if (info.AddressOffset >= 0 && info.AddressOffset + length <= frame.Length)
        {
            hash = Mix(hash, frame.Slice(info.AddressOffset, length));
        }

        if (info.PortsOffset >= 0 && info.PortsOffset + 4 <= frame.Length)
        {
            hash = Mix(hash, frame.Slice(info.PortsOffset, 4));
        }

        return Finish(hash, in info);
    }

    /// <summary>
    /// The connection a dissected IP frame belongs to, the same for both directions: a hash of its two endpoints
    /// (address and port) in a fixed order, with bit 0 telling the direction (0 when the source is the lower
    /// endpoint). Without ports the endpoints are the addresses.
    /// </summary>
    public static ulong Connection(ReadOnlySpan<byte> frame, in PacketInfo info)
    {
        int length = info.AddressLength;
        if (info.AddressOffset < 0 || info.AddressOffset + 2 * length > frame.Length)
        {
            return Finish(14695981039346656037UL, in info) & ~1UL;
        }

        ReadOnlySpan<byte> source = frame.Slice(info.AddressOffset, length);
        ReadOnlySpan<byte> destination = frame.Slice(info.AddressOffset + length, length);
        bool ports = info.PortsOffset >= 0 && info.PortsOffset + 4 <= frame.Length;
        ReadOnlySpan<byte> sourcePort = ports ? frame.Slice(info.PortsOffset, 2) : default;
        ReadOnlySpan<byte> destinationPort = ports ? frame.Slice(info.PortsOffset + 2, 2) : default;
        int order = source.SequenceCompareTo(destination);
        bool reverse = order > 0 || (order == 0 && sourcePort.SequenceCompareTo(destinationPort) > 0);
        ulong hash = 14695981039346656037UL;
        hash = reverse
            ? Mix(Mix(Mix(Mix(hash, destination), destinationPort), source), sourcePort)
            : Mix(Mix(Mix(Mix(hash, source), sourcePort), destination), destinationPort);
        return (Finish(hash, in info) & ~1UL) | (reverse ? 1UL : 0UL);
    }

    private static ulong Finish(ulong hash, in PacketInfo info)
    {
        hash = (hash ^ (byte)info.Protocol) * 1099511628211UL;
        hash = (hash ^ (byte)info.Network) * 1099511628211UL;
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }

    private static ulong Mix(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
