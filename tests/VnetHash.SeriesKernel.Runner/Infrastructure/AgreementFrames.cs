using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>
/// The frames the agreement scenarios send: the mixed generator's frames with the kernel's divergences, the chains
/// around the flow dissector's header bound and in its other corners, and tunnels nested up to nine deep with tags,
/// damaged now and then (but never where a bridge would drop the frame: shorter than an Ethernet header, or from a
/// multicast source address).
/// </summary>
internal static class AgreementFrames
{
    public static byte[][] For(ScenarioOptions options)
    {
        var mixed = new MixedFrameGenerator(options.Seed) { KernelDivergences = true };
        var nested = new MixedFrameGenerator(options.Seed + 1) { KernelDivergences = true, Damaged = true };
        return
        [
            .. Enumerable.Range(0, options.Frames).Select(_ => mixed.Next()),
            .. MixedFrameGenerator.HeaderBoundChains().Select(chain => chain.Frame),
            .. MixedFrameGenerator.DissectorCorners().Select(corner => corner.Frame),
            .. Enumerable.Range(0, options.Frames / 10).Select(_ => nested.NextNested()).Where(frame => frame.Length >= 14 && (frame[6] & 1) == 0),
        ];
    }
}
