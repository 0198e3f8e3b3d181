using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Cli.Analysis;

/// <summary>64-bit hashes of a packet's 5-tuple (addresses, ports, protocol), read in place from the frame: per direction, and per connection.</summary>
public static class FlowKey
{
    /// <summary>The hash of the 5-tuple of a dissected IP frame, one per direction.</summary>
    public static ulong Hash(ReadOnlySpan<byte> frame, in PacketInfo info) => Directed(Connection(frame, in info));

    /// <summary>
    /// The per-direction hash of a connection hash: mixed again, so that the two directions (which differ only in
    /// bit 0 of <paramref name="connection"/>) differ in every bit, as HyperLogLog's register choice and rank need.
    /// </summary>
    public static ulong Directed(ulong connection) => Finish(connection);

    /// <summary>
    /// The connection a dissected IP frame belongs to, the same for both directions: its two endpoints (address
    /// and port; without ports the address alone) are put in order (by address, then port) and hashed together with
    /// the protocol, with bit 0 telling the direction (1 when the source is the larger).
    /// </summary>
    public static ulong Connection(ReadOnlySpan<byte> frame, in PacketInfo info)
    {
        int length = info.AddressLength;
        ulong protocol = Protocol(info.Network, info.Protocol);
        if (!info.AddressesInPlace)
        {
            return length == 0 ? Finish(protocol) & ~1UL : UnionConnection(frame, in info, protocol);
        }

        if (info.AddressOffset + (2 * length) > frame.Length)
        {
            return Finish(protocol) & ~1UL;
        }

        return Combine(frame.Slice(info.AddressOffset, 2 * length), frame, info.PortsOffset, protocol);
    }

    /// <summary>
    /// <see cref="Connection(ReadOnlySpan{byte}, in PacketInfo)"/> of a packet whose addresses lie side by side at
    /// <paramref name="addressOffset"/> and whose ports lie at <paramref name="portsOffset"/>, as a plain TCP or UDP
    /// packet's do (<see cref="PacketHasher.TryHashPlain(ReadOnlySpan{byte}, FrameKind, out int, out int)"/>): no
    /// dissection needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Connection(ReadOnlySpan<byte> frame, NetworkProtocol network, int protocol, int addressOffset, int portsOffset)
    {
        // The ports are where the hasher found them: read without the general path's test that they are there. Each IP
        // version slices its own length, a constant the word reads are then laid out for.
        uint ports = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(portsOffset, 4));
        ulong key = Protocol(network, protocol);
        return network == NetworkProtocol.IPv4
            ? Combine(frame.Slice(addressOffset, 8), ports, key)
            : Combine(frame.Slice(addressOffset, 32), ports, key);
    }

    private static ulong Protocol(NetworkProtocol network, int protocol) => ((ulong)(byte)network << 8) | (byte)protocol;

    // linux-tun's address union (a walk stopped with a protocol pending): the addresses as they are hashed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong UnionConnection(ReadOnlySpan<byte> frame, in PacketInfo info, ulong protocol)
    {
        Span<byte> addresses = stackalloc byte[32];
        int written = HashInput.WriteAddresses(frame, in info, addresses);
        return Combine(addresses[..written], frame, info.PortsOffset, protocol);
    }

    private static ulong Combine(ReadOnlySpan<byte> addresses, ReadOnlySpan<byte> frame, int portsOffset, ulong protocol) =>
        Combine(addresses, portsOffset >= 0 && portsOffset + 4 <= frame.Length ? BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(portsOffset, 4)) : 0, protocol);

    // The two addresses (8 or 32 bytes: PacketInfo.AddressLength is 4 or 16) are read as whole words, IPv4's as the low
    // words with the high ones 0; the ports as one word, the source's in its high half.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Combine(ReadOnlySpan<byte> addresses, uint ports, ulong protocol)
    {
        if (addresses.Length == 8)
        {
            ulong both = BinaryPrimitives.ReadUInt64BigEndian(addresses);
            return Combine(0, both >> 32, 0, (uint)both, ports >> 16, ports & 0xFFFF, protocol);
        }

        return Combine(
            BinaryPrimitives.ReadUInt64BigEndian(addresses),
            BinaryPrimitives.ReadUInt64BigEndian(addresses[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(addresses[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(addresses[24..]),
            ports >> 16,
            ports & 0xFFFF,
            protocol);
    }

    // The endpoints are ordered by value, not by a hash of each, so that no mixing is on the way to the order, and the
    // order is computed without branches (non-short-circuit operators): which endpoint is the larger is a coin toss
    // per packet. Each field of the ordered tuple is then mixed on its own, every one with a constant of its place, the
    // five in parallel, and their sum once more. Mixing each field first is what keeps distinct tuples apart: a sum of
    // the fields times constants is linear, and whole families of tuples (found by lattice reduction) shared a key.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Combine(ulong sourceHigh, ulong sourceLow, ulong destinationHigh, ulong destinationLow, ulong sourcePort, ulong destinationPort, ulong protocol)
    {
        bool reverse = (sourceHigh > destinationHigh)
            | ((sourceHigh == destinationHigh) & ((sourceLow > destinationLow) | ((sourceLow == destinationLow) & (sourcePort > destinationPort))));
        // IPv4 has no high words: their leaves would be constants (the branch follows the hasher's on the IP version,
        // so it is predicted).
        ulong high = (sourceHigh | destinationHigh) == 0 ? 0
            : Finish((reverse ? destinationHigh : sourceHigh) ^ 0x9e3779b97f4a7c15UL) + Finish((reverse ? sourceHigh : destinationHigh) ^ 0x165667b19e3779f9UL);
        ulong sum = high
            + Finish((reverse ? destinationLow : sourceLow) ^ 0xc2b2ae3d27d4eb4fUL)
            + Finish((reverse ? sourceLow : destinationLow) ^ 0xd6e8feb86659fd93UL)
            + Finish(((reverse ? destinationPort : sourcePort) << 16) | (reverse ? sourcePort : destinationPort) | (protocol << 32));
        return (Finish(sum) & ~1UL) | (reverse ? 1UL : 0UL);
    }

    // The SplitMix64 finaliser: every output bit depends on every input bit. Inlined: a call costs as much as the
    // mixing, and a connection takes up to six.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finish(ulong hash)
    {
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }
}
