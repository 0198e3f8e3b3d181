using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using VnetHash.Packets;

namespace VnetHash.Hashing;

/// <summary>
/// Applies the virtio-net hash rules to frames: dissects, chooses the hash type by the enabled types and the
/// specification's precedence, and computes the Toeplitz hash over the tuple where it lies in the frame.
/// </summary>
/// <remarks>Immutable and thread-safe; hashing allocates nothing.</remarks>
public sealed class PacketHasher
{
    /// <summary>
    /// Prepares the rules for a key, a set of enabled types, a profile and a symmetric mode; frames whose outer header
    /// matches one of <paramref name="tunnelTypes"/> (<c>VIRTIO_NET_F_HASH_TUNNEL</c>) are hashed on their inner
    /// packet, UDP tunnels recognised by <paramref name="tunnelPorts"/> (<see cref="UdpTunnelPorts.Iana"/> when null).
    /// </summary>
    /// <exception cref="ConfigurationException">
    /// Unknown type bits or a key too short; tunnel types the profile does not support
    /// (<see cref="TunnelSupport.SupportedBy"/>) or ports that cannot identify the tunnels.
    /// </exception>
    public PacketHasher(
        ToeplitzKey key,
        HashTypes types,
        HashProfile profile = HashProfile.VirtioSpec,
        SymmetricMode symmetric = SymmetricMode.None,
        TunnelTypes tunnelTypes = TunnelTypes.None,
        UdpTunnelPorts? tunnelPorts = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        tunnelPorts ??= UdpTunnelPorts.Iana;
        TunnelSupport.ThrowIfInvalid(profile, tunnelTypes, tunnelPorts);
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
        unsafe
        {
            _gfni12 = key.Gfni12Matrices;
            _gfni36 = key.Gfni36Matrices;
        }

        Types = types;
        Profile = profile;
        Symmetric = symmetric;
        TunnelTypes = tunnelTypes;
        TunnelPorts = tunnelPorts;

        // Virtio spec: the IP version behind the EtherType must match it, and the transport header must lie whole
        // inside the IP packet as its length field says. Linux tun checks neither; clearing the version mask and
        // setting every bit of the length make the same comparisons pass.
        bool spec = profile == HashProfile.VirtioSpec;
        int versionMask = spec ? 0xF0 : 0;
        _ipv4FirstByteMask = versionMask | 0x0F;
        _ipv4FirstByte = (0x40 & versionMask) | (IPv4HeaderLength / 4);
        _ipv6VersionMask = versionMask;
        _ipv6Version = 0x60 & versionMask;
        _lengthIgnored = spec ? 0 : 0xFFFF;

        // The plain-tuple fast path hashes in place, so not with the symmetric extension (which rearranges the tuple).
        if (symmetric == SymmetricMode.None)
        {
            _plainIPv4[IPProtocol.Tcp] = PlainEntry(HashTypes.TcpV4, HashReport.TcpV4, TcpHeaderLength);
            _plainIPv6[IPProtocol.Tcp] = PlainEntry(HashTypes.TcpV6, HashReport.TcpV6, TcpHeaderLength);
            if ((tunnelTypes & TunnelSupport.UdpTunnels) == 0)
            {
                _plainIPv4[IPProtocol.Udp] = PlainEntry(HashTypes.UdpV4, HashReport.UdpV4, UdpHeaderLength);
                _plainIPv6[IPProtocol.Udp] = PlainEntry(HashTypes.UdpV6, HashReport.UdpV6, UdpHeaderLength);
            }
        }

        // The bytes an entry asks for are never fewer than the ports (TryHashPlainIPv6 relies on it).
        ushort PlainEntry(HashTypes type, HashReport report, int transportHeader) =>
            (EffectiveTypes & type) == 0 ? (ushort)0 : (ushort)((int)report | ((spec ? transportHeader : PortsLength) << 8));
    }

    private const int EthernetHeaderLength = 14;
    private const int TaggedHeaderLength = EthernetHeaderLength + 4;
    private const int IPv4HeaderLength = 20;
    private const int IPv6HeaderLength = 40;

    // Where the addresses start in an IPv4 header (RFC 791) and an IPv6 header (RFC 8200).
    private const int IPv4AddressesOffset = 12;
    private const int IPv6AddressesOffset = 8;
    private const int TcpHeaderLength = 20;
    private const int UdpHeaderLength = 8;
    private const int PortsLength = 4;

    // The shortest IP packet the plain path takes: an IPv4 header and the 4 port bytes. Shorter frames and packets
    // take the general path, whatever they hold.
    private const int PlainMinimum = IPv4HeaderLength + PortsLength;

    // Per IP protocol number: 0, or the report a plain packet of it gets (low byte) and the transport bytes it needs
    // (high byte). Held inside the object rather than as arrays: the frame path reads an entry at a fixed offset from
    // the hasher, without loading and null-checking an array reference first. Written only by the constructor.
    private PlainEntries _plainIPv4;
    private PlainEntries _plainIPv6;
    // The first byte of a plain IPv4 header under the mask (version where checked, IHL 5), and the IPv6 version.
    private readonly int _ipv4FirstByteMask;
    private readonly int _ipv4FirstByte;
    private readonly int _ipv6VersionMask;
    private readonly int _ipv6Version;
    private readonly int _lengthIgnored;

    // The key's tuple constants where a tuple's path is Gfni512, else null (the key's own addresses, copied): the frame
    // path reads the address from the hasher it already has, not through the key. Through the key, IPv6 Decide took
    // about 1.93 times the C per-byte table hash on Zen 5, and about 1.77 times from here (docs/performance.md). They
    // do not keep the key alive; KeptAlive does.
    private readonly unsafe byte* _gfni12;
    private readonly unsafe byte* _gfni36;

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

    /// <summary>The encapsulation types whose inner packet is hashed.</summary>
    public TunnelTypes TunnelTypes { get; }

    /// <summary>The UDP destination ports that identify the UDP tunnels.</summary>
    public UdpTunnelPorts TunnelPorts { get; }

    /// <summary>Dissects one frame under this hasher's profile and tunnel types, for <see cref="Hash(ReadOnlySpan{byte}, in PacketInfo)"/>.</summary>
    public PacketInfo Dissect(ReadOnlySpan<byte> frame, FrameKind kind) =>
        PacketDissector.DissectChecked(frame, kind, Profile, TunnelTypes, TunnelPorts);

    /// <summary>Hashes one frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HashResult Hash(ReadOnlySpan<byte> frame, FrameKind kind)
    {
        HashResult plain = TryHashPlainInline(frame, kind);
        return plain.HasHash ? plain : HashOutOfLine(frame, kind);
    }

    /// <summary>Hashes a frame already dissected under this hasher's profile and tunnel types (<see cref="Dissect"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HashResult Hash(ReadOnlySpan<byte> frame, in PacketInfo info)
    {
        HashReport report = Classify(in info, EffectiveTypes);
        return report == HashReport.None ? HashResult.None : new HashResult(ComputeHash(frame, in info, report), report);
    }

    /// <summary>
    /// What <see cref="TryHashPlainInline"/> leaves: plain packets whose tuple hash would take a call, then every
    /// other frame through the general path.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal HashResult HashOutOfLine(ReadOnlySpan<byte> frame, FrameKind kind)
    {
        HashResult plain = TryHashPlain(frame, kind);
        return plain.HasHash ? plain : HashDissected(frame, kind);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private HashResult HashDissected(ReadOnlySpan<byte> frame, FrameKind kind)
    {
        PacketInfo info = PacketDissector.DissectChecked(frame, kind, Profile, TunnelTypes, TunnelPorts);
        return Hash(frame, in info);
    }

    /// <summary>
    /// The bulk of traffic is TCP or UDP over IPv4 without options or IPv6 without extension headers, untagged or
    /// behind one VLAN tag. For those, reads the few fields that decide the type straight from the frame and hashes the
    /// tuple in place, skipping the general dissection and its <see cref="PacketInfo"/>. Any other frame gets
    /// <see cref="HashResult.None"/> here and takes the general path, which gives the same result for these frames
    /// under either profile (a property test holds the two paths together). TCP carries none of the encapsulation
    /// types; UDP takes the shortcut only while no UDP tunnel type is enabled, since its destination port may name one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal HashResult TryHashPlain(ReadOnlySpan<byte> frame, FrameKind kind) => TryHashPlain(frame, kind, inlineOnly: false, out _);

    /// <summary>
    /// Hashes <paramref name="frame"/> when it is a plain TCP or UDP packet: IPv4 without options and not a fragment,
    /// or IPv6 without extension headers, untagged or behind one VLAN tag, of an enabled type (and, with UDP tunnel
    /// types enabled, not UDP). The result is what <see cref="Dissect"/> and
    /// <see cref="Hash(ReadOnlySpan{byte}, in PacketInfo)"/> give the same frame; its report names the IP version and
    /// the transport. The tuple hashed lies in the frame: the two addresses side by side at
    /// <paramref name="addressOffset"/> (4 or 16 bytes each), the source and destination ports at
    /// <paramref name="portsOffset"/>. Any other frame gets <see cref="HashResult.None"/> and both offsets -1; the
    /// general path takes it.
    /// </summary>
    /// <remarks>Inlined: a caller that takes the offsets runs per packet, and as a call the offsets came back through memory.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HashResult TryHashPlain(ReadOnlySpan<byte> frame, FrameKind kind, out int addressOffset, out int portsOffset)
    {
        HashResult plain = TryHashPlain(frame, kind, inlineOnly: false, out int ip);
        if (!plain.HasHash)
        {
            addressOffset = portsOffset = -1;
            return plain;
        }

        bool ipv4 = plain.Report is HashReport.TcpV4 or HashReport.UdpV4;
        addressOffset = ip + (ipv4 ? IPv4AddressesOffset : IPv6AddressesOffset);
        portsOffset = ip + (ipv4 ? IPv4HeaderLength : IPv6HeaderLength);
        return plain;
    }

    /// <summary>
    /// <see cref="TryHashPlain(ReadOnlySpan{byte}, FrameKind)"/> where the key hashes the tuple with a straight-line
    /// kernel, <see cref="HashResult.None"/> otherwise: inlined into a caller's loop, it adds no call to the loop but
    /// the one to <see cref="HashOutOfLine"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal HashResult TryHashPlainInline(ReadOnlySpan<byte> frame, FrameKind kind) => TryHashPlain(frame, kind, inlineOnly: true, out _);

    // ip: where the IP header starts in the frame, set in each branch, where it is a constant: worked out afterwards
    // from the frame, it took the frame's EtherType again.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private HashResult TryHashPlain(ReadOnlySpan<byte> frame, FrameKind kind, bool inlineOnly, out int ip)
    {
        // After the length check every read below is inside the frame: it holds at least the Ethernet header (for
        // that kind), an IPv4 header and 4 more bytes; IPv6 is checked for its own 44 before its addresses are read.
        ref byte start = ref MemoryMarshal.GetReference(frame);

        // Read before the first branch, so that the check a caller's inlined call makes that this hasher is not null
        // becomes this load instead of an instruction of its own.
        int lengthIgnored = _lengthIgnored;
        if (kind == FrameKind.Ethernet)
        {
            ip = EthernetHeaderLength;
            if (frame.Length < EthernetHeaderLength + PlainMinimum)
            {
                return default;
            }

            ushort etherType = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, 12)));
            if (etherType == EtherType.IPv4)
            {
                return TryHashPlainIPv4(ref Unsafe.Add(ref start, EthernetHeaderLength), frame.Length - EthernetHeaderLength, lengthIgnored, inlineOnly);
            }

            if (etherType == EtherType.IPv6)
            {
                return TryHashPlainIPv6(ref Unsafe.Add(ref start, EthernetHeaderLength), frame.Length - EthernetHeaderLength, lengthIgnored, inlineOnly);
            }

            // A tagged frame is left to the out-of-line part, which keeps the inlined part to the untagged bulk. Only a
            // tagged frame gets a hash there.
            ip = TaggedHeaderLength;
            return inlineOnly ? default : TryHashPlainTagged(frame, etherType, lengthIgnored);
        }

        ip = 0;
        if (kind != FrameKind.IP || frame.Length < PlainMinimum)
        {
            return default;
        }

        return (start >> 4) switch
        {
            4 => TryHashPlainIPv4(ref start, frame.Length, lengthIgnored, inlineOnly),
            6 => TryHashPlainIPv6(ref start, frame.Length, lengthIgnored, inlineOnly),
            _ => default,
        };
    }

    /// <summary>
    /// A frame behind one 802.1Q or 802.1ad tag: both profiles skip the tag (it is not hashed) and read the EtherType
    /// behind it as they read an untagged frame's.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private HashResult TryHashPlainTagged(ReadOnlySpan<byte> frame, ushort etherType, int lengthIgnored)
    {
        if (etherType is not (EtherType.Vlan or EtherType.QinQ) || frame.Length < TaggedHeaderLength + PlainMinimum)
        {
            return default;
        }

        ref byte ip = ref Unsafe.Add(ref MemoryMarshal.GetReference(frame), TaggedHeaderLength);
        ushort inner = BinaryPrimitives.ReadUInt16BigEndian(frame[(TaggedHeaderLength - 2)..]);
        int available = frame.Length - TaggedHeaderLength;
        return inner == EtherType.IPv4 ? TryHashPlainIPv4(ref ip, available, lengthIgnored, inlineOnly: false)
            : inner == EtherType.IPv6 ? TryHashPlainIPv6(ref ip, available, lengthIgnored, inlineOnly: false)
            : default;
    }

    /// <summary>
    /// No options, not a fragment, TCP or UDP with its type enabled. Virtio spec: version 4, and the transport header
    /// whole inside the frame and the IP packet. Linux tun: the version nibble behind the EtherType is not checked,
    /// and the ports need only be inside the frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe HashResult TryHashPlainIPv4(ref byte ip, int available, int lengthIgnored, bool inlineOnly)
    {
        uint flagsToProtocol = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref ip, 6));
        int entry = Unsafe.Add(ref _plainIPv4.First, (nint)(flagsToProtocol >> 24));
        int totalLength = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref ip, 2))) | lengthIgnored;

        // The fragment offset and MF bits are bytes 6 and 7 less the top two bits of byte 6 (read little-endian).
        if ((ip & _ipv4FirstByteMask) != _ipv4FirstByte || (flagsToProtocol & 0xFF3F) != 0
            || entry == 0 || Math.Min(available, totalLength) < IPv4HeaderLength + (entry >> 8))
        {
            return default;
        }

        // The Gfni512 kernel first, so that the compiler lays it out straight after the tests. The address is set only
        // where the CPU runs that kernel; the instruction sets are tested too because the compiler knows them, and where
        // they are missing (Native AOT without AVX-512, ARM64) it drops the test and the kernel.
        byte* gfni = _gfni12;
        if (inlineOnly && Gfni.V512.IsSupported && Avx512Vbmi.IsSupported && gfni != null)
        {
            return new HashResult(KeptAlive(ToeplitzKey.HashGfni12(gfni, ref Unsafe.Add(ref ip, IPv4AddressesOffset), ref Unsafe.Add(ref ip, IPv4HeaderLength))), (HashReport)(byte)entry);
        }

        return inlineOnly
            ? Key.HashIPv4Inline(ref Unsafe.Add(ref ip, IPv4AddressesOffset), ref Unsafe.Add(ref ip, IPv4HeaderLength), (HashReport)(byte)entry)
            : new HashResult(Key.HashIPv4InPlace(ref Unsafe.Add(ref ip, IPv4AddressesOffset), ref Unsafe.Add(ref ip, IPv4HeaderLength)), (HashReport)(byte)entry);
    }

    /// <summary>
    /// Next header TCP or UDP (so no extension headers) with its type enabled. Virtio spec: version 6, and the
    /// transport header whole inside the frame and the packet (payload length 0, a jumbogram, leaves the frame to
    /// bound it). Linux tun: the version nibble is not checked, and the ports need only be inside the frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe HashResult TryHashPlainIPv6(ref byte ip, int available, int lengthIgnored, bool inlineOnly)
    {
        // Bytes 0 to 7 are inside the frame (the caller checked PlainMinimum); every entry asks for at least the 4 port
        // bytes, so a frame that passes holds the 44 the hash reads. The transport header must fit in the frame and in
        // the packet: payload length 0 (a jumbogram) wraps to the largest unsigned value, so only the frame bounds it.
        // Written as comparisons that each leave the path, not as a choice of bound and a minimum: the native compiler,
        // which has no profile, made those two taken jumps a frame and spilled a register in the loop around them.
        int entry = Unsafe.Add(ref _plainIPv6.First, (nint)Unsafe.Add(ref ip, 6));
        int transport = entry >> 8;
        int payloadLength = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref ip, 4))) | lengthIgnored;
        if ((ip & _ipv6VersionMask) != _ipv6Version || entry == 0 || available < IPv6HeaderLength + transport
            || (uint)(payloadLength - 1) < (uint)(transport - 1))
        {
            return default;
        }

        // The Gfni512 kernel first, tested as in TryHashPlainIPv4.
        byte* gfni = _gfni36;
        if (inlineOnly && Gfni.V512.IsSupported && Avx512Vbmi.IsSupported && gfni != null)
        {
            return new HashResult(KeptAlive(ToeplitzKey.HashGfni36(gfni, ref Unsafe.Add(ref ip, IPv6AddressesOffset), ref Unsafe.Add(ref ip, IPv6HeaderLength))), (HashReport)(byte)entry);
        }

        return inlineOnly
            ? Key.HashIPv6Inline(ref Unsafe.Add(ref ip, IPv6AddressesOffset), ref Unsafe.Add(ref ip, IPv6HeaderLength), (HashReport)(byte)entry)
            : new HashResult(Key.HashIPv6InPlace(ref Unsafe.Add(ref ip, IPv6AddressesOffset), ref Unsafe.Add(ref ip, IPv6HeaderLength)), (HashReport)(byte)entry);
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
        if (Symmetric != SymmetricMode.None || info.HasUnionAddresses)
        {
            // The tuple does not lie in the frame as hashed: write it out, then hash it.
            Span<byte> input = stackalloc byte[HashInput.MaxLength];
            return Key.Hash(input[..HashInput.Write(frame, in info, report, Symmetric, input)]);
        }

        bool ex = report is HashReport.IPv6Ex or HashReport.TcpV6Ex or HashReport.UdpV6Ex;
        int source = ex && info.HomeAddressOffset >= 0 ? info.HomeAddressOffset : info.AddressOffset;
        int destination = ex && info.RoutingAddressOffset >= 0 ? info.RoutingAddressOffset : info.AddressOffset + addressLength;

        // The key's tuple entry points read the addresses and the ports in one straight-line kernel; ports that count
        // as zero add nothing. The common case has the addresses side by side in the IP header, read in place. A home
        // address or a type-2 routing address lies apart: the two are put together on the stack, a few moves, which
        // costs several times less than hashing each piece in place at its input offset.
        ReadOnlySpan<byte> portBytes = ports && info.PortsOffset >= 0 ? frame.Slice(info.PortsOffset, 4) : default;
        if (destination == source + addressLength)
        {
            return HashTuple(frame.Slice(source, 2 * addressLength), portBytes);
        }

        Span<byte> together = stackalloc byte[HashInput.IPv6Length];
        frame.Slice(source, addressLength).CopyTo(together);
        frame.Slice(destination, addressLength).CopyTo(together[addressLength..]);
        return HashTuple(together[..(2 * addressLength)], portBytes);
    }

    // Both addresses (8 or 32 bytes) and the ports (4 bytes, or none) on the key's tuple entry point of their IP version.
    private uint HashTuple(ReadOnlySpan<byte> addresses, ReadOnlySpan<byte> ports) =>
        addresses.Length == HashInput.IPv4Length ? Key.HashIPv4(addresses, ports) : Key.HashIPv6(addresses, ports);

    // A kernel's hash, with this hasher (which holds the key) used after it: a hasher used once and dropped could
    // otherwise be collected with its key and the key's pinned buffers while the kernel still read them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint KeptAlive(uint hash)
    {
        GC.KeepAlive(this);
        return hash;
    }

    [InlineArray(256)]
    private struct PlainEntries
    {
        internal ushort First;
    }
}
