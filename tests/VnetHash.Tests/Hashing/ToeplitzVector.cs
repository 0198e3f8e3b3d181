using VnetHash.Tests.Vectors;
using Xunit;

namespace VnetHash.Tests.Hashing;

/// <summary>
/// One row of Vectors/toeplitz-public.json: the Microsoft RSS verification suite (16 rows) and the Linux tun
/// selftest expectations (7 rows; the "unclassified" row has no Toeplitz input). Field meanings:
/// ../shared/vectors/README.md.
/// </summary>
public sealed record ToeplitzVector(string Name, byte[] Key, byte[]? Input, uint ExpectedHash)
{
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

    private static ToeplitzVector[] Load() =>
    [
        .. PublicVector.All.Select((v, row) => new ToeplitzVector(
            $"{row:D2}-{(v.HashType is null ? $"tun-report{v.ExpectedReport}" : $"ms-{v.HashType}")}",
            v.Key,
            v.InputHex is null ? null : Convert.FromHexString(v.InputHex),
            v.ExpectedHash)),
    ];
}
