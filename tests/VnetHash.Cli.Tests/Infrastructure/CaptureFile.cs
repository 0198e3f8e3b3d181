using VnetHash.Cli.Captures;

namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>Reads a whole capture into a summary for assertions.</summary>
internal static class CaptureFile
{
    public sealed record Summary(int Packets, IReadOnlyList<LinkType> LinkTypes, IReadOnlyList<int> CapturedLengths, IReadOnlyList<long> Timestamps, CaptureFormat Format);

    public static Summary Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    public static Summary Read(Stream stream)
    {
        using CaptureReader reader = CaptureReader.Open(stream);
        var links = new List<LinkType>();
        var lengths = new List<int>();
        var times = new List<long>();
        while (reader.TryReadPacket(out CapturedPacket packet))
        {
            links.Add(packet.LinkType);
            lengths.Add(packet.Data.Length);
            times.Add(packet.TimestampNanoseconds);
        }

        return new Summary(links.Count, links, lengths, times, reader.Format);
    }

    /// <summary>Reads until the reader fails; returns the packets read before and the failure.</summary>
    public static (int Packets, CaptureFormatException Error) ReadUntilError(Stream stream)
    {
        int packets = 0;
        var error = Assert.Throws<CaptureFormatException>(() =>
        {
            using CaptureReader reader = CaptureReader.Open(stream);
            while (reader.TryReadPacket(out _))
            {
                packets++;
            }
        });
        return (packets, error);
    }
}
