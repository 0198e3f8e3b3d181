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
    /// and port; without ports the address alone) are hashed apart and combined in the order of their hashes, with
    /// bit 0 telling the direction (1 when the source's hash is the larger).
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
    public static ulong Connection(ReadOnlySpan<byte> frame, NetworkProtocol network, int protocol, int addressOffset, int portsOffset)
    {
        int length = network == NetworkProtocol.IPv4 ? 4 : 16;
        return Combine(frame.Slice(addressOffset, 2 * length), frame, portsOffset, Protocol(network, protocol));
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Combine(ReadOnlySpan<byte> addresses, ReadOnlySpan<byte> frame, int portsOffset, ulong protocol)
    {
        int length = addresses.Length / 2;
        bool ports = portsOffset >= 0 && portsOffset + 4 <= frame.Length;
        ulong source = Endpoint(addresses[..length], ports ? BinaryPrimitives.ReadUInt16BigEndian(frame[portsOffset..]) : 0u);
        ulong destination = Endpoint(addresses[length..], ports ? BinaryPrimitives.ReadUInt16BigEndian(frame[(portsOffset + 2)..]) : 0u);
        bool reverse = source > destination;
        (ulong low, ulong high) = reverse ? (destination, source) : (source, destination);
        return (Finish(Finish(low ^ protocol) + high) & ~1UL) | (reverse ? 1UL : 0UL);
    }

    /// <summary>An address and a port in one well-mixed word: IPv4 packed whole, IPv6 folded 8 bytes at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Endpoint(ReadOnlySpan<byte> address, uint port)
    {
        if (address.Length == 4)
        {
            return Finish(((ulong)port << 32) | BinaryPrimitives.ReadUInt32BigEndian(address));
        }

        ulong hash = port;
        for (int i = 0; i + 8 <= address.Length; i += 8)
        {
            hash = Finish(hash ^ BinaryPrimitives.ReadUInt64BigEndian(address[i..]));
        }

        return hash;
    }

    // The SplitMix64 finaliser: every output bit depends on every input bit. Inlined: a call costs as much as the
    // mixing, and a connection takes up to seven.
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
