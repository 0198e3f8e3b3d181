using System.Buffers.Binary;
using VnetHash.Packets;

namespace VnetHash.Hashing;

/// <summary>Lengths of the Toeplitz input each hash type feeds.</summary>
public static class HashInput
{
    /// <summary>IPv4 source and destination.</summary>
    public const int IPv4Length = 8;
    /// <summary>IPv4 addresses and ports.</summary>
    public const int IPv4WithPortsLength = 12;
    /// <summary>IPv6 source and destination.</summary>
    public const int IPv6Length = 32;
    /// <summary>IPv6 addresses and ports.</summary>
    public const int IPv6WithPortsLength = 36;

    /// <summary>The Toeplitz input length for a report type; 0 for <see cref="HashReport.None"/>.</summary>
    public static int Length(HashReport report) => report switch
    {
        HashReport.IPv4 => IPv4Length,
        HashReport.TcpV4 or HashReport.UdpV4 => IPv4WithPortsLength,
        HashReport.IPv6 or HashReport.IPv6Ex => IPv6Length,
        HashReport.TcpV6 or HashReport.UdpV6 or HashReport.TcpV6Ex or HashReport.UdpV6Ex => IPv6WithPortsLength,
        _ => 0,
    };

    /// <summary>
    /// The key length the enabled types need: the longest input any of them hashes plus 4 bytes
    /// (12, 16, 36 or 40). A configuration with no type needs no key bytes beyond the minimum of 5.
    /// </summary>
    public static int RequiredKeyLength(HashTypes types)
    {
        int longest = 1;
        for (int report = 1; report <= 9; report++)
        {
            if (((uint)types & (1u << (report - 1))) != 0)
            {
                longest = Math.Max(longest, Length((HashReport)report));
            }
        }

        return longest + ToeplitzKey.WindowBytes;
    }

    /// <summary>The hash type bit that enables a report type.</summary>
    public static HashTypes TypeOf(HashReport report) => report == HashReport.None ? HashTypes.None : (HashTypes)(1u << ((int)report - 1));

    /// <summary>The largest Toeplitz input: two IPv6 addresses and the ports.</summary>
    public const int MaxLength = IPv6WithPortsLength;

    /// <summary>
    /// Writes the exact bytes <paramref name="report"/> hashes for a frame dissected into <paramref name="info"/>:
    /// source then destination address (for the <c>_EX</c> types the Home Address option's address and the type-2
    /// Routing header's address where the packet has them), then for TCP and UDP types the source and destination
    /// ports (zeros where the ports count as zero), all as <paramref name="symmetric"/> transforms them. For
    /// explaining a hash and checking one: the per-packet path hashes the same tuple where it lies instead.
    /// </summary>
    /// <param name="frame">The frame <paramref name="info"/> describes.</param>
    /// <param name="info">The dissection of <paramref name="frame"/>.</param>
    /// <param name="report">The type chosen for the frame (see <see cref="PacketHasher.Classify"/>).</param>
    /// <param name="symmetric">The symmetric mode in force.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> bytes.</param>
    /// <returns>The bytes written, <see cref="Length"/> of <paramref name="report"/>; 0 for <see cref="HashReport.None"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, or <paramref name="info"/> has no addresses for the type.</exception>
    public static int Write(ReadOnlySpan<byte> frame, in PacketInfo info, HashReport report, SymmetricMode symmetric, Span<byte> destination)
    {
        int length = Length(report);
        if (length == 0)
        {
            return 0;
        }

        int address = info.AddressLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The {report} input takes {length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        if (address == 0 || 2 * address > length)
        {
            throw new ArgumentException($"A {info.Network} packet has no {report} input.", nameof(info));
        }

        Span<byte> from = destination[..address];
        Span<byte> to = destination.Slice(address, address);
        if (info.HasUnionAddresses)
        {
            WriteUnionAddresses(frame, in info, destination[..(2 * address)]);
        }
        else
        {
            bool ex = report is HashReport.IPv6Ex or HashReport.TcpV6Ex or HashReport.UdpV6Ex;
            int source = ex && info.HomeAddressOffset >= 0 ? info.HomeAddressOffset : info.AddressOffset;
            int target = ex && info.RoutingAddressOffset >= 0 ? info.RoutingAddressOffset : info.AddressOffset + address;
            frame.Slice(source, address).CopyTo(from);
            frame.Slice(target, address).CopyTo(to);
        }

        bool ports = length > 2 * address;
        Span<byte> portBytes = ports ? destination.Slice(2 * address, 4) : default;
        if (ports)
        {
            if (info.PortsOffset >= 0)
            {
                frame.Slice(info.PortsOffset, 4).CopyTo(portBytes);
            }
            else
            {
                portBytes.Clear();
            }
        }

        switch (symmetric)
        {
            case SymmetricMode.SortedTuple:
                // The smaller address first (bytewise), and independently the smaller port first.
                if (from.SequenceCompareTo(to) > 0)
                {
                    Span<byte> swap = stackalloc byte[16];
                    from.CopyTo(swap);
                    to.CopyTo(from);
                    swap[..address].CopyTo(to);
                }

                if (ports && BinaryPrimitives.ReadUInt16BigEndian(portBytes) > BinaryPrimitives.ReadUInt16BigEndian(portBytes[2..]))
                {
                    uint swapped = BinaryPrimitives.ReadUInt32BigEndian(portBytes);
                    BinaryPrimitives.WriteUInt32BigEndian(portBytes, (swapped << 16) | (swapped >> 16));
                }

                break;
            case SymmetricMode.Xor:
                // Both positions of each pair hold the pair's XOR (Linux RXH_XFRM_SYM_XOR).
                for (int i = 0; i < address; i++)
                {
                    from[i] ^= to[i];
                }

                from.CopyTo(to);
                if (ports)
                {
                    ushort xor = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(portBytes) ^ BinaryPrimitives.ReadUInt16BigEndian(portBytes[2..]));
                    BinaryPrimitives.WriteUInt16BigEndian(portBytes, xor);
                    BinaryPrimitives.WriteUInt16BigEndian(portBytes[2..], xor);
                }

                break;
        }

        return length;
    }

    /// <summary>
    /// Writes the source then the destination address that a frame dissected into <paramref name="info"/> hashes,
    /// before the <c>_EX</c> substitutions and any symmetric mode: 2 × <see cref="PacketInfo.AddressLength"/> bytes,
    /// read in place, or as <c>linux-tun</c>'s address union leaves them where
    /// <see cref="PacketInfo.AddressesInPlace"/> is false. For showing and counting the addresses of a packet.
    /// </summary>
    /// <returns>The bytes written: 8 for IPv4, 32 for IPv6, 0 for a frame that is not IP.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than that.</exception>
    public static int WriteAddresses(ReadOnlySpan<byte> frame, in PacketInfo info, Span<byte> destination)
    {
        int length = 2 * info.AddressLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The {info.Network} addresses take {length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        if (info.HasUnionAddresses)
        {
            WriteUnionAddresses(frame, in info, destination[..length]);
        }
        else
        {
            frame.Slice(info.AddressOffset, length).CopyTo(destination);
        }

        return length;
    }

    /// <summary>
    /// The addresses as the Linux flow dissector's one address union leaves them (<c>linux-tun</c> when the walk
    /// stops with a network protocol pending): zeros where nothing was read, or the IPv4 addresses read last over the
    /// first 8 bytes of older IPv6 ones.
    /// </summary>
    private static void WriteUnionAddresses(ReadOnlySpan<byte> frame, in PacketInfo info, Span<byte> addresses)
    {
        addresses.Clear();
        if (info.AddressTail != 0)
        {
            frame.Slice(info.AddressOffset, 8).CopyTo(addresses);
            if (info.AddressTail > 0)
            {
                frame.Slice(info.AddressTail, addresses.Length - 8).CopyTo(addresses[8..]);
            }
        }
        else if (info.AddressOffset >= 0)
        {
            frame.Slice(info.AddressOffset, addresses.Length).CopyTo(addresses);
        }
    }
}
