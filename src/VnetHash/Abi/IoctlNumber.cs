namespace VnetHash.Abi;

/// <summary>
/// The generic Linux ioctl number encoding (<c>_IOC</c>): <c>dir &lt;&lt; 30 | size &lt;&lt; 16 | type &lt;&lt; 8 | nr</c>,
/// as on x86, arm64 and most other architectures (powerpc, mips, sparc and alpha lay the bits out differently).
/// </summary>
public static class IoctlNumber
{
    /// <summary>Bits of the number field.</summary>
    public const int NumberBits = 8;

    /// <summary>Bits of the type field.</summary>
    public const int TypeBits = 8;

    /// <summary>Bits of the argument size field.</summary>
    public const int SizeBits = 14;

    private const int TypeShift = NumberBits;
    private const int SizeShift = TypeShift + TypeBits;
    private const int DirectionShift = SizeShift + SizeBits;

    /// <summary>Composes an ioctl number (<c>_IOC(dir, type, nr, size)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field does not fit its bits.</exception>
    public static uint Compose(IoctlDirection direction, char type, int number, int size)
    {
        if ((uint)direction > (uint)IoctlDirection.ReadWrite)
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "The direction has two bits.");
        }

        if (type > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "The ioctl type is one byte.");
        }

        if ((uint)number > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, "The ioctl number is one byte.");
        }

        if ((uint)size >= 1u << SizeBits)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The argument size has {SizeBits} bits.");
        }

        return ((uint)direction << DirectionShift) | ((uint)size << SizeShift) | ((uint)type << TypeShift) | (uint)number;
    }

    /// <summary><c>_IOR(type, nr, size)</c>.</summary>
    public static uint Read(char type, int number, int size) => Compose(IoctlDirection.Read, type, number, size);

    /// <summary><c>_IOW(type, nr, size)</c>.</summary>
    public static uint Write(char type, int number, int size) => Compose(IoctlDirection.Write, type, number, size);

    /// <summary>The direction bits of an ioctl number.</summary>
    public static IoctlDirection DirectionOf(uint request) => (IoctlDirection)(request >> DirectionShift);

    /// <summary>The argument size of an ioctl number.</summary>
    public static int SizeOf(uint request) => (int)((request >> SizeShift) & ((1u << SizeBits) - 1));

    /// <summary>The type byte of an ioctl number.</summary>
    public static char TypeOf(uint request) => (char)((request >> TypeShift) & byte.MaxValue);

    /// <summary>The number byte of an ioctl number.</summary>
    public static int NumberOf(uint request) => (int)(request & byte.MaxValue);
}
