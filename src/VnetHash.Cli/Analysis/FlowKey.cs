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

    // The two addresses (8 or 32 bytes: PacketInfo.AddressLength is 4 or 16) are read as whole words; the ports as one
    // word, the source's in its high half.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Combine(ReadOnlySpan<byte> addresses, uint ports, ulong protocol)
    {
        if (addresses.Length == 8)
        {
            ulong both = BinaryPrimitives.ReadUInt64BigEndian(addresses);
            return CombineIPv4(both >> 32, (uint)both, ports >> 16, ports & 0xFFFF, protocol);
        }

        return CombineIPv6(
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
    // per packet. The ordered tuple is then taken in word by word (Absorb), IPv4's two addresses as one word, and the
    // result finished once. For a given word each step is a bijection of the state, so two tuples that differ in one
    // word only (the same two hosts on other ports, one host's many peers) never share a key. Tuples that differ in
    // several words share one with a chance of about one in 2^63, as under any 64-bit hash; unlike the key's linear
    // forerunner (a sum of the fields times constants), no family of ordinary tuples does. A pair can be built on
    // purpose (the state is 64 bits, the tuple more), which would merge two flows in the counts; the key is not a
    // defence against crafted captures.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong CombineIPv4(ulong source, ulong destination, ulong sourcePort, ulong destinationPort, ulong protocol)
    {
        bool reverse = (source > destination) | ((source == destination) & (sourcePort > destinationPort));
        ulong addresses = reverse ? (destination << 32) | source : (source << 32) | destination;
        return Key(Absorb(Absorb(Seed, addresses), Ports(reverse, sourcePort, destinationPort, protocol)), reverse);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong CombineIPv6(ulong sourceHigh, ulong sourceLow, ulong destinationHigh, ulong destinationLow, ulong sourcePort, ulong destinationPort, ulong protocol)
    {
        bool reverse = (sourceHigh > destinationHigh)
            | ((sourceHigh == destinationHigh) & ((sourceLow > destinationLow) | ((sourceLow == destinationLow) & (sourcePort > destinationPort))));
        ulong state = Absorb(Seed, reverse ? destinationHigh : sourceHigh);
        state = Absorb(state, reverse ? destinationLow : sourceLow);
        state = Absorb(state, reverse ? sourceHigh : destinationHigh);
        state = Absorb(state, reverse ? sourceLow : destinationLow);
        return Key(Absorb(state, Ports(reverse, sourcePort, destinationPort, protocol)), reverse);
    }

    private const ulong Seed = 0x243f6a8885a308d3UL;

    // The ports in order and the protocol, one word.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Ports(bool reverse, ulong sourcePort, ulong destinationPort, ulong protocol) =>
        ((reverse ? destinationPort : sourcePort) << 16) | (reverse ? sourcePort : destinationPort) | (protocol << 32);

    // One word into the state: an exclusive or, a shift-xor and a multiplication by an odd constant, each invertible.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Absorb(ulong state, ulong word)
    {
        state ^= word;
        state ^= state >> 32;
        return state * 0x9e3779b97f4a7c15UL;
    }

    // The finished state with bit 0 telling the direction (1: the source is the larger endpoint).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(ulong state, bool reverse) => (Finish(state) & ~1UL) | (reverse ? 1UL : 0UL);

    // The SplitMix64 finaliser: every output bit depends on every input bit. Inlined: a call costs as much as the
    // mixing.
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
