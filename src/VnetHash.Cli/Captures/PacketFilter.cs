using System.Runtime.InteropServices;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace VnetHash.Cli.Captures;

/// <summary>
/// A pcap filter expression (pcap-filter(7), as tcpdump takes it) compiled by libpcap, applied to packets read from
/// capture files and standard input as the kernel applies it to a live capture. The expression is compiled once per
/// link type the captures use; each packet runs the compiled program with its captured and original lengths.
/// </summary>
internal sealed unsafe class PacketFilter : IDisposable
{
    private readonly Dictionary<LinkType, BpfProgram> _programs = [];

    // One struct pcap_pkthdr for every packet: a struct timeval (two longs), then caplen and len.
    private readonly byte* _header = (byte*)NativeMemory.AllocZeroed((nuint)(2 * IntPtr.Size + 8));

    private PacketFilter(string expression)
    {
        Expression = expression;
    }

    public string Expression { get; }

    /// <summary>Compiles <paramref name="expression"/> for Ethernet now, so a bad one is refused before anything is read.</summary>
    /// <exception cref="UsageException">libpcap cannot compile the expression.</exception>
    /// <exception cref="LibpcapException">libpcap is missing.</exception>
    public static PacketFilter Compile(string expression)
    {
        var filter = new PacketFilter(expression);
        try
        {
            filter.Program(LinkType.Ethernet);
            return filter;
        }
        catch
        {
            filter.Dispose();
            throw;
        }
    }

    /// <summary>Whether the packet passes the filter.</summary>
    /// <exception cref="UsageException">The expression cannot be compiled for the packet's link type.</exception>
    public bool Matches(in CapturedPacket packet)
    {
        BpfProgram program = Program(packet.LinkType);
        *(uint*)(_header + (2 * IntPtr.Size)) = (uint)packet.Data.Length;
        *(uint*)(_header + (2 * IntPtr.Size) + 4) = (uint)packet.OriginalLength;
        fixed (byte* data = packet.Data)
        {
            return program.Matches((IntPtr)_header, (IntPtr)data);
        }
    }

    public void Dispose()
    {
        foreach (BpfProgram program in _programs.Values)
        {
            program.Dispose();
        }

        _programs.Clear();
        NativeMemory.Free(_header);
    }

    /// <summary>libpcap's DLT value for a capture file's LINKTYPE value: they differ only for raw IP.</summary>
    internal static int Dlt(LinkType linkType) => linkType is LinkType.Raw or LinkType.RawBsd12 or LinkType.RawOpenBsd14 ? 12 : (int)linkType;

    private BpfProgram Program(LinkType linkType)
    {
        if (_programs.TryGetValue(linkType, out BpfProgram? known))
        {
            return known;
        }

        BpfProgram program;
        try
        {
            program = Libpcap.Call("--filter", () => BpfProgram.Create((LinkLayers)Dlt(linkType), Expression));
        }
        catch (PcapException e)
        {
            string where = linkType == LinkType.Ethernet ? "" : $" for link type {linkType}";
            throw new UsageException($"--filter '{Expression}': libpcap cannot compile it{where}: {e.Message}");
        }

        _programs[linkType] = program;
        return program;
    }
}
