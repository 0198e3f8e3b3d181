using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using VnetHash.Packets;

namespace VnetHash.Hashing;

/// <summary>
/// Applies the virtio-net hash rules to frames: dissects, chooses the hash type by the enabled types and the
/// specification's precedence, and computes the Toeplitz hash over the tuple where it lies in the frame.
/// </summary>
/// <remarks>Immutable and thread-safe; hashing allocates nothing.</remarks>
public sealed class PacketHasher
{
    private const int IPv6AddressLength = 16;

    /// <summary>Prepares the rules for a key, a set of enabled types, a profile and a symmetric mode.</summary>
    /// <exception cref="ConfigurationException">Unknown type bits, or a key too short for the longest input the enabled types hash.</exception>
    public PacketHasher(ToeplitzKey key, HashTypes types, HashProfile profile = HashProfile.VirtioSpec, SymmetricMode symmetric = SymmetricMode.None)
    {
        ArgumentNullException.ThrowIfNull(key);
        if ((types & ~HashTypes.All) != 0)
        {
            throw new ConfigurationException(ConfigurationRule.UnknownHashTypes, "hash_types", $"unknown hash type bits 0x{(uint)(types & ~HashTypes.All):x} (defined: 0x{(uint)HashTypes.All:x})");
        }

        // The series implements only the six non-_EX types; set _EX bits have no effect there.
        EffectiveTypes = profile == HashProfile.LinuxTun ? types & HashTypes.AllNonEx : types;
        int needed = HashInput.RequiredKeyLength(EffectiveTypes);
        if (key.Key.Length < needed)
        {
            throw new ConfigurationException(ConfigurationRule.KeyTooShortForTypes, "hash_key", $"the enabled types hash up to {needed - ToeplitzKey.WindowBytes} input bytes and need a key of at least {needed} bytes, got {key.Key.Length}");
        }

        Key = key;
        Types = types;
        Profile = profile;
        Symmetric = symmetric;

        // The plain-tuple fast path mirrors the virtio spec dissector and in-place hashing only.
        bool plain = profile == HashProfile.VirtioSpec && symmetric == SymmetricMode.None;
        _fastTcpV4 = plain && (EffectiveTypes & HashTypes.TcpV4) != 0;
        _fastTcpV6 = plain && (EffectiveTypes & HashTypes.TcpV6) != 0;
    }

    private const int EthernetHeaderLength = 14;
    private const int IPv4HeaderLength = 20;
    private const int IPv6HeaderLength = 40;
    private const int TcpHeaderLength = 20;

    private readonly bool _fastTcpV4;
    private readonly bool _fastTcpV6;

    /// <summary>The prepared key.</summary>
    public ToeplitzKey Key { get; }

    /// <summary>The hash types as configured.</summary>
    public HashTypes Types { get; }

    /// <summary>The types that can take effect under <see cref="Profile"/>.</summary>
    public HashTypes EffectiveTypes { get; }

    /// <summary>The rules in force.</summary>
    public HashProfile Profile { get; }

    /// <summary>The symmetric extension in force.</summary>
    public SymmetricMode Symmetric { get; }

    /// <summary>Hashes one frame.</summary>
    public HashResult Hash(ReadOnlySpan<byte> frame, FrameKind kind)
    {
        if (kind == FrameKind.Ethernet && TryHashPlainTcp(frame, out HashResult fast))
        {
            return fast;
        }

        PacketInfo info = PacketDissector.Dissect(frame, kind, Profile);
        return Hash(frame, in info);
    }

    /// <summary>Hashes a frame already dissected under this hasher's profile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HashResult Hash(ReadOnlySpan<byte> frame, in PacketInfo info)
    {
        HashReport report = Classify(in info, EffectiveTypes);
        return report == HashReport.None ? HashResult.None : new HashResult(ComputeHash(frame, in info, report), report);
    }

    /// <summary>
    /// The bulk of traffic is untagged TCP over IPv4 without options or IPv6 without extension headers. For
    /// those, reads the few fields that decide the type straight from the frame and hashes the tuple in place,
    /// skipping the general dissection and its <see cref="PacketInfo"/>. Any other frame returns
    /// <see langword="false"/> and takes the general path, which gives the same result for these frames.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryHashPlainTcp(ReadOnlySpan<byte> frame, out HashResult result)
    {
        result = default;
        if (frame.Length < EthernetHeaderLength + IPv4HeaderLength + TcpHeaderLength)
        {
            return false;
        }

        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12, 2));
        if (etherType == EtherType.IPv4)
        {
            return _fastTcpV4 && TryHashIPv4Tcp(frame, out result);
        }

        return etherType == EtherType.IPv6 && _fastTcpV6 && TryHashIPv6Tcp(frame, out result);
    }

    /// <summary>Version 4, no options, not a fragment, protocol TCP with its full header inside the packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryHashIPv4Tcp(ReadOnlySpan<byte> frame, out HashResult result)
    {
        result = default;
        ReadOnlySpan<byte> ip = frame[EthernetHeaderLength..];
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(2, 2));
        int flagsAndOffset = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(6, 2));
        if (ip[0] != 0x45 || ip[9] != IPProtocol.Tcp || (flagsAndOffset & 0x3FFF) != 0
            || Math.Min(ip.Length, totalLength) < IPv4HeaderLength + TcpHeaderLength)
        {
            return false;
        }

        uint hash = Key.HashIPv4(ip.Slice(12, 8), ip.Slice(IPv4HeaderLength, 4));
        result = new HashResult(hash, HashReport.TcpV4);
        return true;
    }

    /// <summary>Version 6, next header TCP (so no extension headers) with its full header inside the packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryHashIPv6Tcp(ReadOnlySpan<byte> frame, out HashResult result)
    {
        result = default;
        ReadOnlySpan<byte> ip = frame[EthernetHeaderLength..];
        if (ip.Length < IPv6HeaderLength + TcpHeaderLength || ip[0] >> 4 != 6 || ip[6] != IPProtocol.Tcp)
        {
            return false;
        }

        // Payload length 0 is a jumbogram (or unknown): the frame bounds the packet.
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(4, 2));
        if (payloadLength != 0 && payloadLength < TcpHeaderLength)
        {
            return false;
        }

        uint hash = Key.HashIPv6(ip.Slice(8, 32), ip.Slice(IPv6HeaderLength, 4));
        result = new HashResult(hash, HashReport.TcpV6);
        return true;
    }

    /// <summary>
    /// The hash type the rules choose (virtio spec, "Hash calculation for incoming packets"): for IPv4 and for
    /// IPv6 without extension headers TCP, then UDP, then addresses; for IPv6 with extension headers first the
    /// <c>_EX</c> chain, then the plain one. Fragments never get a TCP or UDP type.
    /// </summary>
    public static HashReport Classify(in PacketInfo info, HashTypes types)
    {
        bool tcp = info.Transport == TransportProtocol.Tcp && !info.IsFragment;
        bool udp = info.Transport == TransportProtocol.Udp && !info.IsFragment;
        switch (info.Network)
        {
            case NetworkProtocol.IPv4:
                return tcp && (types & HashTypes.TcpV4) != 0 ? HashReport.TcpV4
                    : udp && (types & HashTypes.UdpV4) != 0 ? HashReport.UdpV4
                    : (types & HashTypes.IPv4) != 0 ? HashReport.IPv4
                    : HashReport.None;
            case NetworkProtocol.IPv6:
                if (info.HasExtensionHeaders)
                {
                    if (tcp && (types & HashTypes.TcpV6Ex) != 0)
                    {
                        return HashReport.TcpV6Ex;
                    }

                    if (udp && (types & HashTypes.UdpV6Ex) != 0)
                    {
                        return HashReport.UdpV6Ex;
                    }

                    if ((types & HashTypes.IPv6Ex) != 0)
                    {
                        return HashReport.IPv6Ex;
                    }
                }

                return tcp && (types & HashTypes.TcpV6) != 0 ? HashReport.TcpV6
                    : udp && (types & HashTypes.UdpV6) != 0 ? HashReport.UdpV6
                    : (types & HashTypes.IPv6) != 0 ? HashReport.IPv6
                    : HashReport.None;
            default:
                return HashReport.None;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint ComputeHash(ReadOnlySpan<byte> frame, in PacketInfo info, HashReport report)
    {
        int addressLength = info.AddressLength;
        bool ports = report is HashReport.TcpV4 or HashReport.UdpV4 or HashReport.TcpV6 or HashReport.UdpV6 or HashReport.TcpV6Ex or HashReport.UdpV6Ex;
        bool ex = report is HashReport.IPv6Ex or HashReport.TcpV6Ex or HashReport.UdpV6Ex;
        int source = ex && info.HomeAddressOffset >= 0 ? info.HomeAddressOffset : info.AddressOffset;
        int destination = ex && info.RoutingAddressOffset >= 0 ? info.RoutingAddressOffset : info.AddressOffset + addressLength;

        if (Symmetric != SymmetricMode.None)
        {
            return SymmetricHash(frame, source, destination, addressLength, ports ? info.PortsOffset : -2);
        }

        if (destination == source + addressLength)
        {
            // The common case, addresses side by side in the IP header: the key's tuple entry points read both
            // addresses and the ports in place in one straight-line kernel. Ports that count as zero add nothing.
            ReadOnlySpan<byte> addresses = frame.Slice(source, 2 * addressLength);
            ReadOnlySpan<byte> portBytes = ports && info.PortsOffset >= 0 ? frame.Slice(info.PortsOffset, 4) : default;
            return addressLength == 4 ? Key.HashIPv4(addresses, portBytes) : Key.HashIPv6(addresses, portBytes);
        }

        // Toeplitz is linear: the tuple's pieces are hashed in place at their input offsets and XORed.
        uint hash = Key.Hash(frame.Slice(source, addressLength), 0) ^ Key.Hash(frame.Slice(destination, addressLength), addressLength);
        if (ports && info.PortsOffset >= 0)
        {
            hash ^= Key.Hash(frame.Slice(info.PortsOffset, 4), 2 * addressLength);
        }

        return hash;
    }

    /// <summary>portsOffset: -2 for an address-only type, -1 for ports that count as zero.</summary>
    private uint SymmetricHash(ReadOnlySpan<byte> frame, int source, int destination, int addressLength, int portsOffset)
    {
        Span<byte> tuple = stackalloc byte[2 * IPv6AddressLength + 4];
        tuple.Clear();
        ReadOnlySpan<byte> a = frame.Slice(source, addressLength);
        ReadOnlySpan<byte> b = frame.Slice(destination, addressLength);
        Span<byte> first = tuple[..addressLength];
        Span<byte> second = tuple.Slice(addressLength, addressLength);
        Span<byte> portBytes = tuple.Slice(2 * addressLength, 4);
        if (portsOffset >= 0)
        {
            frame.Slice(portsOffset, 4).CopyTo(portBytes);
        }

        if (Symmetric == SymmetricMode.SortedTuple)
        {
            bool swap = a.SequenceCompareTo(b) > 0;
            (swap ? b : a).CopyTo(first);
            (swap ? a : b).CopyTo(second);
            if (portBytes[0] > portBytes[2] || (portBytes[0] == portBytes[2] && portBytes[1] > portBytes[3]))
            {
                (portBytes[0], portBytes[2]) = (portBytes[2], portBytes[0]);
                (portBytes[1], portBytes[3]) = (portBytes[3], portBytes[1]);
            }
        }
        else
        {
            for (int i = 0; i < addressLength; i++)
            {
                first[i] = second[i] = (byte)(a[i] ^ b[i]);
            }

            byte high = (byte)(portBytes[0] ^ portBytes[2]);
            byte low = (byte)(portBytes[1] ^ portBytes[3]);
            portBytes[0] = portBytes[2] = high;
            portBytes[1] = portBytes[3] = low;
        }

        int length = 2 * addressLength + (portsOffset == -2 ? 0 : 4);
        return Key.Hash(tuple[..length]);
    }
}
