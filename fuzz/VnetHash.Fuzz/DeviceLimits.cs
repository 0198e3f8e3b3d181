using VnetHash.Hashing;
using VnetHash.VirtioNet;

namespace VnetHash.Fuzz;

/// <summary>The device limits the control-command targets read from their first 4 input bytes.</summary>
internal static class DeviceLimits
{
    public const int Length = 4;

    /// <summary>
    /// Byte 0: queue pairs (1 to 256); byte 1: bits 0-4 the log2 of the table limit (capped at 65536), bit 5 a
    /// key limit of 52 instead of 40; bytes 2-3: the supported hash types (9 bits, little-endian).
    /// </summary>
    public static VirtioNetDeviceLimits Read(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> rest)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes.Clear();
        input[..Math.Min(Length, input.Length)].CopyTo(bytes);
        rest = input[Math.Min(Length, input.Length)..];
        return new VirtioNetDeviceLimits(
            QueuePairs: bytes[0] + 1,
            MaxKeySize: (bytes[1] & 0x20) != 0 ? 52 : VirtioNetDeviceLimits.DefaultMaxKeySize,
            MaxIndirectionTableLength: 1 << Math.Min(bytes[1] & 0x1F, 16),
            SupportedHashTypes: (HashTypes)((bytes[2] | (bytes[3] << 8)) & (int)HashTypes.All));
    }

    /// <summary>The 4 bytes for the defaults of a device with <paramref name="queuePairs"/> queue pairs (1 to 256) and every type.</summary>
    public static byte[] Prefix(int queuePairs) => [(byte)(queuePairs - 1), 7, 0xFF, 0x01];
}
