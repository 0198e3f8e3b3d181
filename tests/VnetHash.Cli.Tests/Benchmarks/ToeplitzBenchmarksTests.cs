using VnetHash.Cli.Benchmarks;
using VnetHash.Hashing;

namespace VnetHash.Cli.Tests.Benchmarks;

/// <summary>The tool's single-call Toeplitz cases hash every whole input of their pool once, at its own offset.</summary>
public sealed class ToeplitzBenchmarksTests
{
    private const int Tuples = 64;

    public static TheoryData<int, int> Positions => new()
    {
        { HashInput.IPv4WithPortsLength, 0 },
        { HashInput.IPv4WithPortsLength, 1 },
        { HashInput.IPv4WithPortsLength, Tuples - 1 },
        { HashInput.IPv6WithPortsLength, 0 },
        { HashInput.IPv6WithPortsLength, 1 },
        { HashInput.IPv6WithPortsLength, Tuples - 1 },
    };

    // The Toeplitz hash is linear and hashes zeros to zero, so in a pool of zeros with one tuple set the pass's XOR is
    // that tuple's hash alone: a pass that skipped it, hashed it twice or read it at another offset gives another value.
    [Theory]
    [MemberData(nameof(Positions))]
    public void A_pass_hashes_each_whole_input_once_at_its_own_offset(int length, int position)
    {
        var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey);
        var pool = new byte[(Tuples * length) + length - 1];
        Span<byte> tuple = pool.AsSpan(position * length, length);
        new Random(position).NextBytes(tuple);
        uint expected = ToeplitzReference.Hash(ToeplitzKey.MicrosoftKey, tuple);
        Assert.NotEqual(0u, expected);

        Assert.Equal(expected, ToeplitzBenchmarks.HashEach(key, pool, length));
    }

    [Theory]
    [InlineData(HashInput.IPv4WithPortsLength)]
    [InlineData(HashInput.IPv6WithPortsLength)]
    public void A_partial_input_at_the_end_of_the_pool_is_not_hashed(int length)
    {
        var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey);
        var pool = new byte[(Tuples * length) + length - 1];
        new Random(length).NextBytes(pool.AsSpan(Tuples * length));

        Assert.Equal(0u, ToeplitzBenchmarks.HashEach(key, pool, length));
    }

    [Fact]
    public void A_length_other_than_the_two_tuples_is_refused()
    {
        var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey);

        ArgumentOutOfRangeException refused = Assert.Throws<ArgumentOutOfRangeException>(() => ToeplitzBenchmarks.HashEach(key, new byte[64], 16));
        Assert.Contains("12-byte IPv4 and 36-byte IPv6", refused.Message, StringComparison.Ordinal);
    }
}
