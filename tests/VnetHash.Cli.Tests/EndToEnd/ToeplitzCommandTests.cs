using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash toeplitz</c> run as a process.</summary>
public sealed class ToeplitzCommandTests
{
    [VectorsFact]
    public void Every_public_vector_input_hashes_to_its_expected_value()
    {
        // Microsoft "Verifying the RSS Hash Calculation" rows and the tun selftest rows with a Toeplitz input.
        int checkedRows = 0;
        foreach (JsonElement row in PublicVectors.Rows())
        {
            if (row.GetProperty("input_hex").ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            Tool.Result result = Tool.Run("toeplitz", "--key", row.GetProperty("key_hex").GetString()!, "--data", row.GetProperty("input_hex").GetString()!);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(row.GetProperty("expected_hash_hex").GetString(), result.Stdout.Trim());
            Assert.Matches("^[0-9a-f]{8}$", result.Stdout.Trim());
            checkedRows++;
        }

        Assert.Equal(22, checkedRows);
    }

    [Fact]
    public void Colon_hex_keys_as_ethtool_prints_them_are_accepted()
    {
        string colon = string.Join(':', Convert.ToHexStringLower(VnetHash.Hashing.ToeplitzKey.MicrosoftKey).Chunk(2).Select(c => new string(c)));

        Tool.Result result = Tool.Run("toeplitz", "--key", colon, "--data", "420995bba18e64500aea06e6");

        Assert.Equal("51ccc178", result.Stdout.Trim());
    }

    [Fact]
    public void A_key_too_short_names_both_lengths()
    {
        Tool.Result result = Tool.Run("toeplitz", "--key", "6d5a56da255b0ec2", "--data", "420995bba18e64500aea06e6");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("12-byte input needs a key of at least 16 bytes", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("has 8", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Bad_hex_is_a_named_error_without_a_stack_trace()
    {
        Tool.Result result = Tool.Run("toeplitz", "--data", "42xx");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("'x' at position 2", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_has_the_hash()
    {
        Tool.Result result = Tool.Run("toeplitz", "--data", "420995bba18e6450", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("323e8fc2", json.RootElement.GetProperty("hash").GetString());
    }
}
