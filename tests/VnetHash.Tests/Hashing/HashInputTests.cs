using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// <see cref="HashInput.Write"/> gives the exact bytes the hash is computed over: the Toeplitz hash of what it
/// writes is the hasher's value for every frame, profile, symmetric mode and set of types.
/// </summary>
public class HashInputTests
{
    [Fact]
    public void The_microsoft_vector_tuple_is_source_destination_then_ports()
    {
        // "Verifying the RSS Hash Calculation": 66.9.149.187:2794 -> 161.142.100.80:1766, TCP, hash 0x51ccc178.
        byte[] frame = new FrameBuilder().Ethernet().IPv4("66.9.149.187", "161.142.100.80").Tcp(2794, 1766).Build();
        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);
        Span<byte> input = stackalloc byte[HashInput.MaxLength];

        int length = HashInput.Write(frame, in info, HashReport.TcpV4, SymmetricMode.None, input);

        Assert.Equal("420995bba18e64500aea06e6", Convert.ToHexStringLower(input[..length]));
        Assert.Equal(0x51ccc178u, ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, input[..length]));
    }

    [Fact]
    public void Sorted_puts_the_smaller_address_and_the_smaller_port_first()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.9", "10.0.0.1").Udp(5000, 53).Build();
        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);
        Span<byte> input = stackalloc byte[HashInput.MaxLength];

        int length = HashInput.Write(frame, in info, HashReport.UdpV4, SymmetricMode.SortedTuple, input);

        Assert.Equal("0a0000010a00000900351388", Convert.ToHexStringLower(input[..length]));
    }

    [Fact]
    public void Xor_puts_the_xor_of_each_pair_in_both_places()
    {
        byte[] frame = new FrameBuilder().Ethernet().IPv4("10.0.0.9", "10.0.0.1").Udp(5000, 53).Build();
        PacketInfo info = PacketDissector.Dissect(frame, FrameKind.Ethernet);
        Span<byte> input = stackalloc byte[HashInput.MaxLength];

        int length = HashInput.Write(frame, in info, HashReport.UdpV4, SymmetricMode.Xor, input);

        // 0x1388 ^ 0x0035 = 0x13bd; 10.0.0.9 ^ 10.0.0.1 = 0.0.0.8.
        Assert.Equal("000000080000000813bd13bd", Convert.ToHexStringLower(input[..length]));
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
