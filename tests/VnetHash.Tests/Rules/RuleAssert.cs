using System.Net;
using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Tests.Rules;

/// <summary>Shared helpers: hash a frame under given rules, and compute the expected Toeplitz over a tuple with the oracle.</summary>
internal static class RuleAssert
{
    public static readonly ToeplitzKey Key = new(ToeplitzKey.MicrosoftKey);

    public static HashResult Hash(byte[] frame, HashTypes types = HashTypes.All, HashProfile profile = HashProfile.VirtioSpec, FrameKind kind = FrameKind.Ethernet) =>
        new PacketHasher(Key, types, profile).Hash(frame, kind);

    /// <summary>The oracle's hash of addresses (and ports, when given) in input order.</summary>
    public static uint Tuple(string source, string destination, int? sourcePort = null, int? destinationPort = null)
    {
        byte[] input = [.. IPAddress.Parse(source).GetAddressBytes(), .. IPAddress.Parse(destination).GetAddressBytes()];
        if (sourcePort is not null)
        {
            input = [.. input, (byte)(sourcePort >> 8), (byte)sourcePort, (byte)(destinationPort!.Value >> 8), (byte)destinationPort.Value];
        }

        return ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, input);
    }

    public static void Equal(HashReport report, uint value, HashResult actual) => Assert.Equal(new HashResult(value, report), actual);
}
