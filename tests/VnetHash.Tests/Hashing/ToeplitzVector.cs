using System.Text.Json;
using Xunit;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// One row of Vectors/toeplitz-public.json: the Microsoft RSS verification suite (16 rows) and the Linux tun
/// selftest expectations (7 rows; the "unclassified" row has no Toeplitz input). Field meanings:
/// ../shared/vectors/README.md.
/// </summary>
public sealed record ToeplitzVector(string Name, byte[] Key, byte[]? Input, uint ExpectedHash)
{
    public const string FileName = "Vectors/toeplitz-public.json";

    private static readonly Lazy<IReadOnlyList<ToeplitzVector>> s_all = new(Load);

    public static IReadOnlyList<ToeplitzVector> All => s_all.Value;

    /// <summary>The rows that have a Toeplitz input, as xunit theory data (the name shows in the test list).</summary>
    public static TheoryData<string> HashedNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (ToeplitzVector vector in All.Where(v => v.Input is not null))
            {
                data.Add(vector.Name);
            }

            return data;
        }
    }

    public static ToeplitzVector Named(string name) => All.Single(v => v.Name == name);

    public override string ToString() => Name;

    private static ToeplitzVector[] Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, FileName)));
        var vectors = new List<ToeplitzVector>();
        int row = 0;
        foreach (JsonElement element in document.RootElement.EnumerateArray())
        {
            string kind = element.TryGetProperty("hash_type", out JsonElement type) ? $"ms-{type.GetString()}" : $"tun-report{element.GetProperty("expected_report").GetInt32()}";
            string? input = element.GetProperty("input_hex").GetString();
            vectors.Add(new ToeplitzVector(
                $"{row:D2}-{kind}",
                Convert.FromHexString(element.GetProperty("key_hex").GetString()!),
                input is null ? null : Convert.FromHexString(input),
                Convert.ToUInt32(element.GetProperty("expected_hash_hex").GetString(), 16)));
            row++;
        }

        return [.. vectors];
    }
}
