using VnetHash.Packets;

namespace VnetHash.Cli.Analysis;

/// <summary>A 64-bit hash of a packet's 5-tuple (addresses, ports, protocol), read in place from the frame.</summary>
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
