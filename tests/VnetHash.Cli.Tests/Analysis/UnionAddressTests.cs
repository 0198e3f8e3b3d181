using VnetHash.Cli.Analysis;
using VnetHash.Cli.Captures;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Cli.Tests.Analysis;

/// <summary>
/// Under linux-tun a walk that stops with IPv6 pending over an IPv4 header hashes the dissector's address union (the
/// IPv4 addresses, then zeros), not 32 bytes of the frame (fuzz finding fuzz/findings/frame). The per-packet CSV and
/// the flow keys take the addresses as hashed, not 32 bytes read from where the IPv4 ones start.
/// </summary>
public sealed class UnionAddressTests
{
    // IPv4 192.0.2.1 -> 192.0.2.2, protocol GRE, then GRE version 1 naming IPv6 (not PPTP: the walk stops there),
    // followed by 40 bytes that a reader taking 32 from offset 12 would print as addresses.
    private static readonly byte[] Frame = Convert.FromHexString(
        "450000400000000040" + "2f" + "0000" + "c0000201" + "c0000202" + "000186dd" + string.Concat(Enumerable.Repeat("ab", 40)));

    private static PacketInfo Info => PacketDissector.Dissect(Frame, FrameKind.IP, HashProfile.LinuxTun);

    [Fact]
    public void The_csv_row_shows_the_addresses_that_were_hashed()
    {
        PacketInfo info = Info;
        Assert.False(info.AddressesInPlace);
        var hash = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), HashTypes.AllNonEx, HashProfile.LinuxTun).Hash(Frame, in info);
        var text = new StringWriter();
        using (var csv = new PacketCsvWriter(text))
        {
            csv.Write(0, 0, Frame, new PacketOutcome(new FrameLocation(0, PayloadKind.IP), info, hash, 1, 0, 0, Frame.Length, PacketNote.None));
        }

        string row = text.ToString().Split('\n')[1];
        Assert.StartsWith("0,0.000000000,c000:201:c000:202::,::,,,47,", row, StringComparison.Ordinal);
        Assert.Equal(HashReport.IPv6, hash.Report);
    }

    [Fact]
    public void The_connection_key_does_not_depend_on_the_bytes_after_the_union()
    {
        byte[] other = [.. Frame];
        other.AsSpan(24).Fill(0xcd);
        PacketInfo info = Info;
        PacketInfo otherInfo = PacketDissector.Dissect(other, FrameKind.IP, HashProfile.LinuxTun);

        Assert.Equal(FlowKey.Connection(Frame, in info), FlowKey.Connection(other, in otherInfo));
        Assert.NotEqual(0UL, FlowKey.Connection(Frame, in info) >> 1);
    }
}
