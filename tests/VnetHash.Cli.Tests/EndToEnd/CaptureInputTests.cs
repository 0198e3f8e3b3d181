using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary>
/// How <c>analyze</c> takes its captures: cut short or damaged files give results for everything read, then a
/// warning naming the file and the byte offset (exit 1, as tcpdump and tshark report what they read); gzip and
/// standard input are read; a directory, a missing file and a file that is not a capture each get their own message.
/// </summary>
public sealed class CaptureInputTests
{
    private static byte[] Generated(TempDirectory dir, int packets)
    {
        string path = dir.File($"whole-{packets}.pcapng");
        Assert.Equal(0, Tool.Run("generate", "--flows", "50", "--packets", packets.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "4", "--out", path).ExitCode);
        return File.ReadAllBytes(path);
    }

    /// <summary>The offsets at which each pcapng block ends, after the section header and interface blocks.</summary>
    private static List<int> PacketBlockEnds(byte[] file)
    {
        var ends = new List<int>();
        for (int offset = 0; offset < file.Length;)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset));
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 4));
            offset += length;
            if (type == 6)
            {
                ends.Add(offset);
            }
        }

        return ends;
    }

    private static JsonElement Json(Tool.Result result)
    {
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    [Fact]
    public void A_capture_cut_at_any_offset_counts_every_whole_packet_and_names_the_file_and_offset()
    {
        using var dir = new TempDirectory();
        byte[] whole = Generated(dir, 300);
        List<int> ends = PacketBlockEnds(whole);
        var random = new Random(18);
        for (int i = 0; i < 18; i++)
        {
            // Anywhere after the first packet's block begins and before the file's end, never on a block boundary.
            int cut = random.Next(ends[0] - 8, whole.Length - 1);
            if (ends.Contains(cut))
            {
                cut++;
            }

            string path = dir.File($"cut-{i}.pcapng");
            File.WriteAllBytes(path, whole[..cut]);
            int expected = ends.Count(e => e <= cut);
            int blockStart = ends.Where(e => e <= cut).DefaultIfEmpty(ends[0] - (ends[1] - ends[0])).Max();

            Tool.Result result = Tool.Run("analyze", path, "--json");

            Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
            JsonElement json = Json(result);
            Assert.Equal(expected, json.GetProperty("packets").GetInt64());
            JsonElement problem = Assert.Single(json.GetProperty("problems").EnumerateArray());
            Assert.Equal(path, problem.GetProperty("capture").GetString());
            Assert.True(problem.GetProperty("cut_short").GetBoolean());
            Assert.Equal(expected, problem.GetProperty("packets_read").GetInt64());
            Assert.StartsWith($"warning: capture '{path}' is cut short at byte offset {problem.GetProperty("offset").GetInt64()}: ", result.Stderr, StringComparison.Ordinal);
            Assert.InRange(problem.GetProperty("offset").GetInt64(), Math.Min(blockStart, cut - 8), cut);
        }
    }

    [Fact]
    public void A_classic_pcap_cut_short_gives_results_then_the_warning()
    {
        // A pcap global header, two whole records and a third cut inside its data.
        byte[] frame = new VnetHash.Traffic.FrameBuilder().Ethernet().IPv4("10.0.0.1", "10.0.0.2").Tcp(1, 2).Build();
        byte[] file = new CaptureBytes(false).PcapHeader(0xa1b2c3d4, 65535, 1)
            .PcapRecord(1, 0, frame).PcapRecord(2, 0, frame).PcapRecord(3, 0, frame).ToArray();
        using var dir = new TempDirectory();
        string path = dir.File("cut.pcap");
        File.WriteAllBytes(path, file[..^10]);

        Tool.Result result = Tool.Run("analyze", path);

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("Packets: 2 ", result.Stdout, StringComparison.Ordinal);
        int third = 24 + (2 * (16 + frame.Length));
        Assert.Equal(
            $"warning: capture '{path}' is cut short at byte offset {third}: packet data is cut short: the record claims {frame.Length} captured bytes, the file ends after {frame.Length - 10}; reading stopped there, the 2 packets before it are counted",
            result.Stderr.Trim());
    }

    [Fact]
    public void Damage_in_the_middle_names_the_file_and_offset_and_the_next_capture_is_still_read()
    {
        using var dir = new TempDirectory();
        byte[] whole = Generated(dir, 200);
        List<int> ends = PacketBlockEnds(whole);

        // The 100th packet block's trailing length no longer matches its leading one.
        byte[] damaged = (byte[])whole.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan(ends[99] - 4), 12345);
        string bad = dir.File("damaged.pcapng");
        string good = dir.File("good.pcapng");
        File.WriteAllBytes(bad, damaged);
        File.WriteAllBytes(good, whole);

        Tool.Result result = Tool.Run("analyze", bad, good, "--json");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        JsonElement json = Json(result);
        Assert.Equal(99 + 200, json.GetProperty("packets").GetInt64());
        JsonElement problem = Assert.Single(json.GetProperty("problems").EnumerateArray());
        Assert.False(problem.GetProperty("cut_short").GetBoolean());
        Assert.Equal(ends[99] - 4, problem.GetProperty("offset").GetInt64());
        Assert.Equal(
            $"warning: capture '{bad}' is damaged at byte offset {ends[99] - 4}: block type 0x6 ends with total length 12345, but starts with {ends[99] - ends[98]}; reading stopped there, the 99 packets before it are counted",
            result.Stderr.Trim());
    }

    [Fact]
    public void A_gzip_capture_and_standard_input_give_the_same_analysis_as_the_file()
    {
        using var dir = new TempDirectory();
        byte[] whole = Generated(dir, 120);
        string plain = dir.File("plain.pcapng");
        string gzip = dir.File("plain.pcapng.gz");
        File.WriteAllBytes(plain, whole);
        using (var output = new GZipStream(File.Create(gzip), CompressionLevel.Optimal))
        {
            output.Write(whole);
        }

        JsonElement fromFile = Json(Tool.Run("analyze", plain, "--json"));
        Tool.Result fromGzip = Tool.Run("analyze", gzip, "--json");
        Tool.Result fromStdin = Tool.RunWithInput(whole, "analyze", "-", "--json");

        Assert.Equal(0, fromGzip.ExitCode);
        Assert.Equal(0, fromStdin.ExitCode);
        Assert.Equal(gzip, Json(fromGzip).GetProperty("captures")[0].GetString());
        Assert.Equal("standard input", Json(fromStdin).GetProperty("captures")[0].GetString());
        foreach (string field in new[] { "packets", "bytes", "flows", "queues", "balance", "hash_types" })
        {
            Assert.Equal(fromFile.GetProperty(field).GetRawText(), Json(fromGzip).GetProperty(field).GetRawText());
            Assert.Equal(fromFile.GetProperty(field).GetRawText(), Json(fromStdin).GetProperty(field).GetRawText());
        }
    }

    [Fact]
    public void A_gzip_file_that_holds_no_capture_is_named_as_gzip()
    {
        using var dir = new TempDirectory();
        string path = dir.File("notes.txt.gz");
        using (var output = new GZipStream(File.Create(path), CompressionLevel.Optimal))
        {
            output.Write("just some notes\n"u8);
        }

        Tool.Result result = Tool.Run("analyze", path);

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith($"error: capture '{path}' cannot be read: at byte offset 0: the file is gzip-compressed, and what it holds is not a capture either: unrecognised magic number", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_named_as_a_directory()
    {
        using var dir = new TempDirectory();

        Tool.Result result = Tool.Run("analyze", dir.Path);

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Equal($"error: capture '{dir.Path}' is a directory, not a capture file", result.Stderr.Trim());
    }

    [Fact]
    public void A_missing_file_is_named_as_missing()
    {
        using var dir = new TempDirectory();
        string path = dir.File("absent.pcapng");

        Tool.Result result = Tool.Run("analyze", path);

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Equal($"error: capture '{path}' does not exist", result.Stderr.Trim());
    }

    [Fact]
    public void Standard_input_cannot_be_named_twice()
    {
        Tool.Result result = Tool.Run("analyze", "-", "-");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Equal("error: captures: standard input ('-') can be read only once", result.Stderr.Trim());
    }
}
