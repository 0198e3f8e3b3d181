using System.Security.Cryptography;
using VnetHash.Hashing;

namespace VnetHash.Cli.Options;

/// <summary>Reads <c>--key</c>: hex, colon-hex (as ethtool prints it) or a preset name.</summary>
public static class KeyParser
{
    /// <summary>The length of the presets: the 40 bytes virtio and the Microsoft key use.</summary>
    public const int PresetLength = 40;

    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Presets { get; } = ["microsoft", "symmetric", "random"];

    /// <summary>Whether <paramref name="text"/> asks for a random key.</summary>
    public static bool IsRandom(string? text) => string.Equals(text?.Trim(), "random", StringComparison.OrdinalIgnoreCase);

    /// <summary>The key for <paramref name="text"/>; the Microsoft key when it is null (the option was not given).</summary>
    public static byte[] Parse(string? text)
    {
        if (text is null)
        {
            return ToeplitzKey.MicrosoftKey.ToArray();
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"--key: the value is empty; give hex, colon-hex or one of: {string.Join(", ", Presets)}");
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "microsoft" or "ms":
                return ToeplitzKey.MicrosoftKey.ToArray();
            case "symmetric":
                // 0x6d5a repeated: every 16-bit window equals the next, so swapping source and
                // destination (addresses or ports) leaves the hash unchanged.
                var symmetric = new byte[PresetLength];
                for (int i = 0; i < symmetric.Length; i += 2)
                {
                    symmetric[i] = 0x6d;
                    symmetric[i + 1] = 0x5a;
                }

                return symmetric;
            case "random":
                return RandomNumberGenerator.GetBytes(PresetLength);
            default:
                try
                {
                    byte[] key = Hex.Parse(text, "--key");
                    if (key.Length == 0)
                    {
                        throw new UsageException($"--key: the key has no bytes; give hex, colon-hex or one of: {string.Join(", ", Presets)}");
                    }

                    return key;
                }
                catch (FormatException e)
                {
                    throw new UsageException($"{e.Message} (expected hex, colon-hex or one of: {string.Join(", ", Presets)})");
                }
        }
    }
}
