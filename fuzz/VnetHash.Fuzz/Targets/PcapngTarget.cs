namespace VnetHash.Fuzz.Targets;

/// <summary>pcapng files, plain or gzip-compressed, as <c>analyze</c> reads them (see <see cref="CaptureCheck"/>).</summary>
internal sealed class PcapngTarget : IFuzzTarget
{
    public string Name => "pcapng";

    public void Run(ReadOnlySpan<byte> input) => CaptureCheck.Run(input);

    public IEnumerable<(string Name, byte[] Bytes)> Seeds() => CaptureSeeds.Pcapng();
}
