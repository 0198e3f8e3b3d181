namespace VnetHash.Fuzz.Targets;

/// <summary>Classic pcap files, plain or gzip-compressed, as <c>analyze</c> reads them (see <see cref="CaptureCheck"/>).</summary>
internal sealed class PcapTarget : IFuzzTarget
{
    public string Name => "pcap";

    public void Run(ReadOnlySpan<byte> input) => CaptureCheck.Run(input);

    public IEnumerable<(string Name, byte[] Bytes)> Seeds() => CaptureSeeds.Pcap();
}
