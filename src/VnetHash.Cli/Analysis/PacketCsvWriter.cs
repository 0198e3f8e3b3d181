using System.Globalization;
using System.Net;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Cli.Analysis;

/// <summary>One CSV row per packet: index, time, src, dst, sport, dport, proto, hash, report, queue.</summary>
public sealed class PacketCsvWriter : IDisposable
{
    private readonly TextWriter _writer;

    public PacketCsvWriter(TextWriter writer)
    {
        _writer = writer;
        _writer.WriteLine("index,time,src,dst,sport,dport,proto,hash,report,queue");
    }

    public void Write(long index, long timestampNanoseconds, ReadOnlySpan<byte> packet, in PacketOutcome outcome)
    {
        string time = (timestampNanoseconds / 1e9).ToString("F9", CultureInfo.InvariantCulture);
        string src = string.Empty, dst = string.Empty, sport = string.Empty, dport = string.Empty, proto = string.Empty;
        PacketInfo info = outcome.Info;
        ReadOnlySpan<byte> frame = packet[Math.Min(outcome.Location.Offset, packet.Length)..];
        int length = info.AddressLength;
        if (length != 0 && (!info.AddressesInPlace || info.AddressOffset + (2 * length) <= frame.Length))
        {
            // The addresses as hashed: in place, or linux-tun's address union where a pending protocol left it.
            Span<byte> addresses = stackalloc byte[32];
            HashInput.WriteAddresses(frame, in info, addresses);
            src = new IPAddress(addresses[..length]).ToString();
            dst = new IPAddress(addresses.Slice(length, length)).ToString();
            proto = info.Protocol >= 0 ? info.Protocol.ToString(CultureInfo.InvariantCulture) : string.Empty;
            if (info.PortsOffset >= 0 && info.PortsOffset + 4 <= frame.Length)
            {
                sport = ((frame[info.PortsOffset] << 8) | frame[info.PortsOffset + 1]).ToString(CultureInfo.InvariantCulture);
                dport = ((frame[info.PortsOffset + 2] << 8) | frame[info.PortsOffset + 3]).ToString(CultureInfo.InvariantCulture);
            }
        }

        _writer.Write(index.ToString(CultureInfo.InvariantCulture));
        _writer.Write(',');
        _writer.Write(time);
        _writer.Write(',');
        _writer.Write(src);
        _writer.Write(',');
        _writer.Write(dst);
        _writer.Write(',');
        _writer.Write(sport);
        _writer.Write(',');
        _writer.Write(dport);
        _writer.Write(',');
        _writer.Write(proto);
        _writer.Write(',');
        _writer.Write(outcome.Hash.Value.ToString("x8", CultureInfo.InvariantCulture));
        _writer.Write(',');
        _writer.Write(ReportNames.Name(outcome.Hash.Report));
        _writer.Write(',');
        _writer.WriteLine(outcome.Queue.ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose() => _writer.Dispose();
}
