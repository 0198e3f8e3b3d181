using System.Text;
using VnetHash.Cli;
using VnetHash.Cli.Options;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// Hex text as people paste it (<c>--frame</c>, stdin lines, <c>--key</c>): any text either parses or is refused with
/// a <see cref="FormatException"/> (a <see cref="UsageException"/> for <c>--key</c>); parsed bytes print back, plain or
/// colon-separated, to text that parses to the same bytes, and a key given as hex is exactly those bytes.
/// </summary>
internal sealed class HexTextTarget : IFuzzTarget
{
    public string Name => "hex-text";

    public void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        byte[]? bytes;
        try
        {
            bytes = Hex.Parse(text, "--frame");
        }
        catch (FormatException e)
        {
            Check.That(e.GetType() == typeof(FormatException) && e.Message.StartsWith("--frame: ", StringComparison.Ordinal), $"a refusal that does not name the option: {e.Message}");
            bytes = null;
        }

        if (bytes is not null)
        {
            Check.SequenceEqual<byte>(bytes, Hex.Parse(Hex.Format(bytes), "x"), "the bytes printed and parsed again");
            Check.SequenceEqual<byte>(bytes, Hex.Parse(Hex.FormatColon(bytes), "x"), "the bytes printed with colons and parsed again");
        }

        byte[] key;
        try
        {
            key = KeyParser.Parse(text);
        }
        catch (UsageException e)
        {
            Check.That(e.Message.StartsWith("--key: ", StringComparison.Ordinal), $"a refusal that does not name the option: {e.Message}");
            Check.That(bytes is null || bytes.Length == 0 || KeyParser.Presets.Contains(text.Trim().ToLowerInvariant()), $"--key refused hex that parses: {e.Message}");
            return;
        }

        Check.That(key.Length > 0, "an empty key");
        string name = text.Trim().ToLowerInvariant();
        if (name is "microsoft" or "ms" or "symmetric" or "random")
        {
            Check.Equal(KeyParser.PresetLength, key.Length, $"the {name} preset's length");
        }
        else
        {
            Check.That(bytes is not null && bytes.AsSpan().SequenceEqual(key), "a key given as hex is not those bytes");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("colon", Encoding.UTF8.GetBytes("6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa"));
        yield return ("plain-0x", Encoding.UTF8.GetBytes("0x6D5A56DA255B0EC24167253D43A38FB0D0CA2BCBAE7B30B477CB2DA38030F20C6A42B73BBEAC01FA"));
        yield return ("frame-spaces", Encoding.UTF8.GetBytes("02 00 00 00 00 01 02 00 00 00 00 02 08 00 45 00 00 28\t00-00"));
        yield return ("preset", Encoding.UTF8.GetBytes(" Symmetric "));
        yield return ("odd", Encoding.UTF8.GetBytes("abc"));
    }
}
