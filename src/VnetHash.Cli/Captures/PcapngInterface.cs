namespace VnetHash.Cli.Captures;

/// <summary>What an Interface Description Block says about the packets captured on it.</summary>
/// <param name="LinkType">The link type.</param>
/// <param name="SnapLength">The snap length; 0 means unlimited.</param>
/// <param name="ResolutionBase">10 or 2: the base of <c>if_tsresol</c>.</param>
/// <param name="ResolutionExponent">Timestamp units are <c>ResolutionBase ^ -ResolutionExponent</c> seconds.</param>
/// <param name="OffsetSeconds">The <c>if_tsoffset</c> added to every timestamp.</param>
public readonly record struct PcapngInterface(LinkType LinkType, uint SnapLength, int ResolutionBase, int ResolutionExponent, long OffsetSeconds)
{
    /// <summary>Converts a timestamp in interface units to nanoseconds since the Unix epoch.</summary>
    public long ToNanoseconds(ulong units)
    {
        UInt128 nanoseconds;
        if (ResolutionBase == 10 && ResolutionExponent == 9)
        {
            nanoseconds = units;
        }
        else if (ResolutionBase == 10 && ResolutionExponent is >= 6 and < 9 && units < 1UL << 54)
        {
            // Microseconds until the year 2540: times at most 1000, the product fits in 64 bits, so no 128-bit
            // multiplication (a software one where the build may not assume BMI2).
            nanoseconds = units * Pow10(9 - ResolutionExponent);
        }
        else if (ResolutionBase == 10)
        {
            nanoseconds = ResolutionExponent <= 9
                ? (UInt128)units * Pow10(9 - ResolutionExponent)
                : units / Pow10(ResolutionExponent - 9);
        }
        else
        {
            nanoseconds = ((UInt128)units * 1_000_000_000UL) >> ResolutionExponent;
        }

        long offset = OffsetSeconds * 1_000_000_000L;
        return nanoseconds > long.MaxValue ? long.MaxValue : (long)nanoseconds + offset;
    }

    private static ulong Pow10(int exponent)
    {
        ulong value = 1;
        for (int i = 0; i < exponent && i < 19; i++)
        {
            value *= 10;
        }

        return value;
    }
}
