using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Traffic;
using VnetHash.VirtioNet;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// The frame path: dissector, hash rules, Toeplitz and steering, in both profiles, every symmetric mode, any set
/// of types, with and without inner-header hashing. The per-packet path (with its shortcuts for plain TCP), the general path (dissect, then hash the
/// dissection) and the bitwise Toeplitz reference over the exact input bytes must give one answer, the dissection
/// must point only inside the frame, and the queue and vnet header must follow from the hash.
/// </summary>
internal sealed class FrameTarget : IFuzzTarget
{
    public string Name => "frame";

    public void Run(ReadOnlySpan<byte> input)
    {
        FrameSetup setup = FrameSetup.Read(input, out ReadOnlySpan<byte> frame);
        RssSteering steering = setup.Steering();
        PacketHasher hasher = steering.Hasher;

        PacketInfo info = hasher.Dissect(frame, setup.Kind);
        CheckDissection(in info, frame.Length, setup.Profile);
        CheckAddresses(frame, in info);

        HashResult general = hasher.Hash(frame, in info);
        HashReport report = PacketHasher.Classify(in info, hasher.EffectiveTypes);
        Check.Equal(report, general.Report, "the general path's report");
        Check.That((HashInput.TypeOf(report) & ~hasher.EffectiveTypes) == 0, $"{report} is not an enabled type ({hasher.EffectiveTypes})");

        Span<byte> tuple = stackalloc byte[HashInput.MaxLength];
        int length = HashInput.Write(frame, in info, report, setup.Symmetric, tuple);
        Check.Equal(HashInput.Length(report), length, "the Toeplitz input length");
        uint reference = report == HashReport.None ? 0 : ToeplitzReference.Hash(setup.Key, tuple[..length]);
        Check.Equal(reference, general.Value, "the general path's hash against the bitwise reference");

        HashResult fast = hasher.Hash(frame, setup.Kind);
        Check.Equal(general, fast, "the per-packet path against the general path");

        Span<byte> header = stackalloc byte[VirtioNetHeader.HashSize];
        header.Fill(0xEE);
        RssDecision decision = steering.Decide(frame, setup.Kind, FrameSetup.Queues, header);
        Check.Equal(general, decision.Hash, "the steering's hash");
        RssConfiguration configuration = steering.Configuration;
        int entry = general.HasHash ? configuration.IndirectionTable[(int)(general.Value & (uint)configuration.IndirectionTableMask)] : configuration.UnclassifiedQueue;
        Check.Equal(entry % FrameSetup.Queues, decision.Queue, "the queue");
        Check.Equal(general, VirtioNetHeader.ReadHashReport(header), "the hash report written into the vnet header");
        Check.That(header[..VirtioNetHeader.HashValueOffset].IndexOfAnyExcept((byte)0xEE) < 0, "writing the hash report changed the fields before it");
    }

    /// <summary>
    /// Every offset the dissection gives lies inside the frame, with room for what it points at (the bytes of a
    /// linux-tun address union beyond its first 8 are checked by <see cref="HashInput.Write"/>, which reads them).
    /// </summary>
    private static void CheckDissection(in PacketInfo info, int frameLength, HashProfile profile)
    {
        if (info.Network == NetworkProtocol.None)
        {
            Check.That(info.AddressOffset == -1 && info.PortsOffset == -1 && info.Transport == TransportProtocol.None
                && info.HomeAddressOffset == -1 && info.RoutingAddressOffset == -1, "a frame that is not IP has offsets");
            return;
        }

        int address = info.AddressLength;
        if (info.AddressesInPlace)
        {
            Check.That(info.AddressOffset >= 0 && info.AddressOffset + (2 * address) <= frameLength, $"addresses at {info.AddressOffset} outside a {frameLength}-byte frame");
        }
        else
        {
            // linux-tun's address union, where a pending protocol left it: none read, or IPv4's 8 bytes under IPv6.
            Check.That(profile == HashProfile.LinuxTun, $"{profile} addresses not in place");
            Check.That(info.AddressOffset == -1 || (info.Network == NetworkProtocol.IPv6 && info.AddressOffset >= 0 && info.AddressOffset + 8 <= frameLength),
                $"union addresses at {info.AddressOffset} for {info.Network} in a {frameLength}-byte frame");
        }
        if (info.Transport == TransportProtocol.None)
        {
            Check.Equal(-1, info.PortsOffset, "the ports offset without a transport");
        }
        else
        {
            Check.Equal(info.Transport == TransportProtocol.Tcp ? 6 : 17, info.Protocol, "the protocol of the transport");

            // The spec rules take TCP and UDP only with their whole header; the kernel's with readable ports or none.
            int needed = profile == HashProfile.VirtioSpec ? (info.Transport == TransportProtocol.Tcp ? 20 : 8) : 4;
            Check.That(info.PortsOffset == -1 ? profile == HashProfile.LinuxTun : info.PortsOffset >= 0 && info.PortsOffset + needed <= frameLength,
                $"ports at {info.PortsOffset} in a {frameLength}-byte frame");
        }

        foreach (int offset in new[] { info.HomeAddressOffset, info.RoutingAddressOffset })
        {
            Check.That(offset == -1 || (info.Network == NetworkProtocol.IPv6 && offset >= 0 && offset + 16 <= frameLength), $"an _EX address at {offset} in a {frameLength}-byte frame");
        }
    }

    /// <summary>The addresses shown and counted per packet are those the address-only type hashes.</summary>
    private static void CheckAddresses(ReadOnlySpan<byte> frame, in PacketInfo info)
    {
        Span<byte> addresses = stackalloc byte[HashInput.IPv6Length];
        int written = HashInput.WriteAddresses(frame, in info, addresses);
        Check.Equal(2 * info.AddressLength, written, "the address bytes written");
        if (written > 0)
        {
            Span<byte> input = stackalloc byte[HashInput.MaxLength];
            HashInput.Write(frame, in info, info.Network == NetworkProtocol.IPv4 ? HashReport.IPv4 : HashReport.IPv6, SymmetricMode.None, input);
            Check.That(input[..written].SequenceEqual(addresses[..written]), "WriteAddresses against the address-only hash input");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        foreach ((string name, byte[] frame, bool ip) in SeedFrames.All())
        {
            var spec = new FrameSetup(ip ? FrameKind.IP : FrameKind.Ethernet, HashProfile.VirtioSpec, SymmetricMode.None, HashTypes.All, false);
            yield return ($"{name}.spec", spec.Prefix(frame));
            yield return ($"{name}.tun", (spec with { Profile = HashProfile.LinuxTun, Symmetric = SymmetricMode.SortedTuple }).Prefix(frame));
            yield return ($"{name}.tunnels", (spec with { Tunnels = true }).Prefix(frame));
        }
    }
}
