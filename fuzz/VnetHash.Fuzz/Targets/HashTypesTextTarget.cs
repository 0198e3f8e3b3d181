using System.Text;
using VnetHash.Cli;
using VnetHash.Cli.Options;
using VnetHash.Hashing;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// <c>--types</c>: any text is a set of the nine types or a <see cref="UsageException"/> naming the option; a set
/// prints back as names that parse to the same set, and as a mask that parses to it too.
/// </summary>
internal sealed class HashTypesTextTarget : IFuzzTarget
{
    public string Name => "hash-types-text";

    public void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        HashTypes types;
        try
        {
            types = HashTypesParser.Parse(text);
        }
        catch (UsageException e)
        {
            Check.That(e.Message.StartsWith("--types: ", StringComparison.Ordinal), $"a refusal that does not name the option: {e.Message}");
            return;
        }

        Check.That((types & ~HashTypes.All) == 0, $"bits beyond the nine types: 0x{(uint)types:x}");
        Check.Equal(types, HashTypesParser.Parse(HashTypesParser.Format(types)), "the types printed and parsed again");
        Check.Equal(types, HashTypesParser.Parse($"0x{(uint)types:x}"), "the types as a mask");
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        foreach (string text in new[] { "ipv4,tcpv4,udpv4", "all", "none", "0x3f", "tcpv6_ex, UDPV6-EX", "511" })
        {
            yield return (text.Replace(',', '+').Replace(' ', '_'), Encoding.UTF8.GetBytes(text));
        }
    }
}
