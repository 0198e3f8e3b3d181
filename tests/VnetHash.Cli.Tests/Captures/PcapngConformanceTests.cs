using VnetHash.Cli.Captures;
using VnetHash.Cli.Tests.Infrastructure;
using VnetHash.TestSupport;

namespace VnetHash.Cli.Tests.Captures;

/// <summary>
/// The pcapng conformance suite shipped by golang-github-gopacket-gopacket-dev (hadrielk/pcapng-test-generator
/// plus test901/test902), little- and big-endian. Expected packet counts and link types are taken from the
/// generator's test definitions (the EPB/SPB blocks each tests/testNNN.lua compiles, and test901.lua and
/// test902.lua next to the files); where tcpdump reads a file (001, 009-012, 016, 018, 300, 301) its count agrees.
/// The big-endian directory holds the same tests except 300 and 301.
/// </summary>
public sealed class PcapngConformanceTests
{
    private const LinkType E = LinkType.Ethernet;
    private const LinkType N = LinkType.Null;

    public static TheoryData<string, string, int, LinkType[]> Suite()
    {
        var cases = new (string Name, int Packets, LinkType[] Links)[]
        {
            ("test001", 4, [E]), // basic: 4 EPBs
            ("test002", 0, []), // only SHB
            ("test003", 0, []), // only SHB and IDB
            ("test004", 4, [E]), // two IDBs, same link type, different snaplen
            ("test005", 4, [E]), // 2 IDBs separated by an EPB
            ("test006", 5, [E, N]), // two IDBs of different link types: 4 Ethernet + 1 NULL
            ("test007", 1, [E]), // SHB with all options
            ("test008", 4, [E]), // 2 IDBs with all options
            ("test009", 2, [E]), // EPBs with all options
            ("test010", 4, [E]), // SPBs
            ("test011", 4, [E]), // SPBs and EPBs
            ("test012", 4, [E]), // SPBs and EPBs around the IDB snaplen
            ("test013", 0, []), // SHB, IDB, ISB
            ("test014", 0, []), // SHB, several IDBs, ISB
            ("test015", 0, []), // SHB, IDB, NRB
            ("test016", 4, [E]), // NRBs among SPBs and EPBs
            ("test017", 0, []), // only SHB and custom blocks
            ("test018", 4, [E]), // custom blocks among SPBs and EPBs
            ("test100", 5, [E, N]), // NRB variety; 4 Ethernet + 1 NULL
            ("test101", 4, [E, N]), // duplicate ISBs among EPBs/SPBs; 3 Ethernet + 1 NULL
            ("test102", 5, [E, N]), // all block types intermixed; 4 Ethernet + 1 NULL
            ("test200", 0, []), // several sections, only SHB and IDB
            ("test201", 4, [E, N]), // ISBs in different sections; 3 Ethernet + 1 NULL
            ("test202", 8, [E, N]), // sections of different endianness; 6 Ethernet + 2 NULL
            ("test901", 2, [E]), // the middle of three sections has major version 2 and is skipped
            ("test902", 1, [E]), // if_tsresol 2^-8
        };
        var data = new TheoryData<string, string, int, LinkType[]>();
        foreach (string order in new[] { "le", "be" })
        {
            foreach (var c in cases)
            {
                data.Add(order, c.Name, c.Packets, c.Links);
            }
        }

        // Two larger real captures exist only little-endian; tcpdump counts 32 and 276 packets.
        data.Add("le", "test300", 32, [E]);
        data.Add("le", "test301", 276, [E]);

        return data;
    }

    [FileTheory(TestFiles.GopacketTests, "golang-github-gopacket-gopacket-dev")]
    [MemberData(nameof(Suite))]
    public void Every_file_reads_with_its_packet_count_and_link_types(string byteOrder, string name, int packets, LinkType[] linkTypes)
    {
        string path = Path.Combine(TestFiles.GopacketTests, byteOrder, name + ".pcapng");
        CaptureFile.Summary summary = CaptureFile.Read(path);

        Assert.Equal(CaptureFormat.Pcapng, summary.Format);
        Assert.Equal(packets, summary.Packets);
        Assert.Equal(linkTypes.OrderBy(l => l), summary.LinkTypes.Distinct().OrderBy(l => l));
    }

    [FileFact(TestFiles.GopacketTests, "golang-github-gopacket-gopacket-dev")]
    public void The_table_covers_every_file_of_the_suite()
    {
        // Guards the table above against a package that adds files this test would silently ignore.
        var listed = Suite().Select(row => $"{row[0]}/{row[1]}.pcapng").ToHashSet();
        var present = new[] { "le", "be" }
            .SelectMany(order => Directory.GetFiles(Path.Combine(TestFiles.GopacketTests, order), "*.pcapng").Select(f => $"{order}/{Path.GetFileName(f)}"));

        Assert.All(present, file => Assert.Contains(file, listed));
    }

    [FileTheory(TestFiles.GopacketTests, "golang-github-gopacket-gopacket-dev")]
    [InlineData("le")]
    [InlineData("be")]
    public void Binary_timestamp_resolution_converts_to_nanoseconds(string byteOrder)
    {
        // test902.lua: if_tsresol 0x88 (2^-8 s) and timestamp units 0x5a_8c0dc032, which gopacket's
        // ngread_test.go expects as 1519128000.195312500.
        CaptureFile.Summary summary = CaptureFile.Read(Path.Combine(TestFiles.GopacketTests, byteOrder, "test902.pcapng"));

        Assert.Equal(1_519_128_000_195_312_500L, summary.Timestamps[0]);
    }

    [FileTheory(TestFiles.GopacketTests, "golang-github-gopacket-gopacket-dev")]
    [InlineData("le")]
    [InlineData("be")]
    public void Simple_packet_blocks_are_cut_to_the_interface_snap_length(string byteOrder)
    {
        // test012.lua: IDB snaplen 315; pcapng spec: an SPB's captured length is min(original length, snaplen).
        CaptureFile.Summary summary = CaptureFile.Read(Path.Combine(TestFiles.GopacketTests, byteOrder, "test012.pcapng"));

        Assert.All(summary.CapturedLengths, length => Assert.InRange(length, 1, 315));
    }

    [FileTheory(TestFiles.GopacketTests, "golang-github-gopacket-gopacket-dev")]
    [InlineData("le")]
    [InlineData("be")]
    public void Per_interface_snap_lengths_hold(string byteOrder)
    {
        // test004.lua: eth0 snaplen 96 and en1 snaplen 128, packets alternate between them.
        CaptureFile.Summary summary = CaptureFile.Read(Path.Combine(TestFiles.GopacketTests, byteOrder, "test004.pcapng"));

        Assert.Equal(96, summary.CapturedLengths[0]);
        Assert.Equal(128, summary.CapturedLengths[1]);
    }
}
