using System.Text.Json;
using VnetHash.Cli.Tests.Infrastructure;

namespace VnetHash.Cli.Tests.EndToEnd;

/// <summary><c>vnethash config</c> run as a process.</summary>
public sealed class ConfigCommandTests
{
    [Fact]
    public void Show_prints_the_table_in_rows_of_8_and_the_key_as_colon_hex()
    {
        // ethtool -x layout: "%5u: " then " %5u" per entry, 8 entries per row; the key as colon-separated hex.
        Tool.Result result = Tool.Run("config", "show", "--queues", "3", "--table", "0,1,2,0,1,2,0,1,2,0,1,2,0,1,2,0", "--key", "symmetric");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.Contains("    0:      0     1     2     0     1     2     0     1", lines);
        Assert.Contains("    8:      2     0     1     2     0     1     2     0", lines);
        Assert.Contains(string.Join(':', Enumerable.Repeat("6d:5a", 20)), lines);
    }

    [Fact]
    public void Show_json_round_trips_the_options()
    {
        Tool.Result result = Tool.Run("config", "show", "--queues", "2", "--types", "tcpv4,udpv6", "--unclassified", "1", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("tcpv4,udpv6", json.RootElement.GetProperty("types").GetString());
        Assert.Equal(0x22u, json.RootElement.GetProperty("types_mask").GetUInt32());
        Assert.Equal(1, json.RootElement.GetProperty("unclassified_queue").GetInt32());
        Assert.Equal(128, json.RootElement.GetProperty("indirection_table").GetArrayLength());
    }

    [Fact]
    public void A_table_that_is_not_a_power_of_two_is_refused_naming_the_field()
    {
        Tool.Result result = Tool.Run("config", "show", "--table", "0,1,2");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("indirection_table", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("power of two", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--abi", "v5")]
    [InlineData("--abi", "v12")]
    [InlineData("--virtio", "rss_config")]
    public void Encoded_configurations_decode_to_the_same_configuration(string kind, string format)
    {
        string[] options = ["--queues", "4", "--table", "0,1,2,3,3,2,1,0", "--types", "tcpv4,udpv4,tcpv6", "--unclassified", "2", "--key", "symmetric"];
        Tool.Result encoded = Tool.Run(["config", "encode", kind, format, "--profile", "linux-tun", .. options]);
        Assert.Equal(0, encoded.ExitCode);
        Assert.Matches("^[0-9a-f]+$", encoded.Stdout.Trim());

        Tool.Result decoded = Tool.Run("config", "decode", kind, format, "--hex", encoded.Stdout.Trim(), "--profile", "linux-tun", "--json");
        Tool.Result shown = Tool.Run(["config", "show", "--json", "--profile", "linux-tun", .. options]);

        Assert.Equal(0, decoded.ExitCode);
        using JsonDocument a = JsonDocument.Parse(decoded.Stdout);
        using JsonDocument b = JsonDocument.Parse(shown.Stdout);
        foreach (string field in new[] { "key", "types_mask", "unclassified_queue" })
        {
            Assert.Equal(b.RootElement.GetProperty(field).ToString(), a.RootElement.GetProperty(field).ToString());
        }

        Assert.Equal(b.RootElement.GetProperty("indirection_table").ToString(), a.RootElement.GetProperty("indirection_table").ToString());
    }

    [Fact]
    public void Hash_config_round_trips_types_and_key()
    {
        Tool.Result encoded = Tool.Run("config", "encode", "--virtio", "hash_config", "--types", "ipv4,ipv6");
        Tool.Result decoded = Tool.Run("config", "decode", "--virtio", "hash_config", "--hex", encoded.Stdout.Trim(), "--json");

        using JsonDocument json = JsonDocument.Parse(decoded.Stdout);
        Assert.Equal(9u, json.RootElement.GetProperty("types_mask").GetUInt32());
        Assert.Equal(Convert.ToHexStringLower(VnetHash.Hashing.ToeplitzKey.MicrosoftKey), json.RootElement.GetProperty("key").GetString());
    }

    [Fact]
    public void A_truncated_blob_is_an_input_error_naming_the_structure()
    {
        Tool.Result result = Tool.Run("config", "decode", "--abi", "v12", "--hex", "0011");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("tun_vnet_rss", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_needs_exactly_one_format()
    {
        Tool.Result result = Tool.Run("config", "encode");

        Assert.Equal((int)ExitCode.InvalidArguments, result.ExitCode);
        Assert.Contains("--abi", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", "off", "off")]
    [InlineData("xor", "on", "off")]
    [InlineData("sorted", "off", "on")]
    public void Show_prints_the_symmetric_mode_as_ethtools_input_transformation(string mode, string xor, string sorted)
    {
        Tool.Result text = Tool.Run("config", "show", "--symmetric", mode);
        Tool.Result json = Tool.Run("config", "show", "--symmetric", mode, "--json");

        string[] lines = text.Stdout.Split('\n');
        int at = Array.IndexOf(lines, "RSS input transformation:");
        Assert.True(at > 0, text.Stdout);
        Assert.Equal($"    symmetric-xor: {xor}", lines[at + 1]);
        Assert.Equal($"    symmetric-sorted: {sorted}", lines[at + 2]);
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(mode, document.RootElement.GetProperty("symmetric").GetString());
    }

    [Fact]
    public void A_random_key_is_shown_in_full_and_named_on_stderr_so_the_run_can_be_repeated()
    {
        Tool.Result result = Tool.Run("config", "show", "--key", "random", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        string key = json.RootElement.GetProperty("key").GetString()!;
        Assert.Matches("^[0-9a-f]{80}$", key);
        Assert.Equal($"note: --key random chose {key}; give it as --key to repeat this run", result.Stderr.Trim());

        Tool.Result again = Tool.Run("config", "show", "--key", key, "--json");
        using JsonDocument repeated = JsonDocument.Parse(again.Stdout);
        Assert.Equal(key, repeated.RootElement.GetProperty("key").GetString());
    }
}
