using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Traffic;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// <see cref="HashInput.Write"/> gives the exact bytes the hash is computed over: the Toeplitz hash of what it
/// writes is the hasher's value for every frame, profile, symmetric mode and set of types.
/// </summary>
public class HashInputTests
{
    private static byte[] Input(byte[] frame, HashReport report, SymmetricMode symmetric)
    {
        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);
        var input = new byte[HashInput.MaxLength];
        return input[..HashInput.Write(frame, in info, report, symmetric, input)];
    }

    [Fact]
    public void The_microsoft_vector_tuple_is_source_destination_then_ports()
    {
        // "Verifying the RSS Hash Calculation": 66.9.149.187:2794 -> 161.142.100.80:1766, TCP, hash 0x51ccc178.
        byte[] input = Input(new FrameBuilder().Ethernet().IPv4("66.9.149.187", "161.142.100.80").Tcp(2794, 1766).Build(), HashReport.TcpV4, SymmetricMode.None);

        Assert.Equal("420995bba18e64500aea06e6", Convert.ToHexStringLower(input));
        Assert.Equal(0x51ccc178u, ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, input));
    }

    [Theory]
    [InlineData(SymmetricMode.SortedTuple, "0a0000010a00000900351388")] // the smaller address, and the smaller port, first
    [InlineData(SymmetricMode.Xor, "000000080000000813bd13bd")] // 10.0.0.9 ^ 10.0.0.1 = 0.0.0.8, 5000 ^ 53 = 0x13bd, in both places
    public void Symmetric_modes_transform_the_tuple(SymmetricMode symmetric, string expected)
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.9", "10.0.0.1").Udp(5000, 53).Build();

        Assert.Equal(expected, Convert.ToHexStringLower(Input(frame, HashReport.UdpV4, symmetric)));
    }

    [Fact]
    public void No_hash_writes_nothing()
    {
        byte[] frame = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06];
        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);

        Assert.Equal(0, HashInput.Write(frame, in info, HashReport.None, SymmetricMode.None, stackalloc byte[HashInput.MaxLength]));
    }

    [Theory]
    [InlineData(HashProfile.VirtioSpec, SymmetricMode.None)]
    [InlineData(HashProfile.VirtioSpec, SymmetricMode.SortedTuple)]
    [InlineData(HashProfile.VirtioSpec, SymmetricMode.Xor)]
    [InlineData(HashProfile.LinuxTun, SymmetricMode.None)]
    [InlineData(HashProfile.LinuxTun, SymmetricMode.SortedTuple)]
    [InlineData(HashProfile.LinuxTun, SymmetricMode.Xor)]
    public void The_hash_of_the_written_input_is_the_hashers_value(HashProfile profile, SymmetricMode symmetric)
    {
        var generator = new MixedFrameGenerator(13) { KernelDivergences = true, Damaged = true, BeyondBounds = true };
        var random = new Random(29);
        Span<byte> input = stackalloc byte[HashInput.MaxLength];
        var seen = new HashSet<HashReport>();
        for (int i = 0; i < 4000; i++)
        {
            var types = (HashTypes)random.Next(1, (int)HashTypes.All + 1);
            var hasher = new PacketHasher(new ToeplitzKey(ToeplitzKey.MicrosoftKey), types, profile, symmetric);
            byte[] frame = i % 4 == 0 ? generator.NextNested() : generator.Next();
            PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet, profile);
            HashResult hash = hasher.Hash(frame, FrameKind.Ethernet);

            int length = HashInput.Write(frame, in info, hash.Report, symmetric, input);

            Assert.Equal(HashInput.Length(hash.Report), length);
            if (hash.HasHash)
            {
                Assert.Equal(hash.Value, ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, input[..length]));
            }

            seen.Add(hash.Report);
        }

        // The check covered every type the profile can report.
        Assert.Equal(profile == HashProfile.LinuxTun ? 7 : 10, seen.Count);
    }
}
