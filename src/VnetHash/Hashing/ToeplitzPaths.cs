namespace VnetHash.Hashing;

/// <summary>The path each <see cref="ToeplitzOperation"/> takes.</summary>
internal readonly record struct ToeplitzPaths(
    ToeplitzImplementation Hash12,
    ToeplitzImplementation Hash36,
    ToeplitzImplementation HashOther,
    ToeplitzImplementation Batch12,
    ToeplitzImplementation Batch36)
{
    /// <summary>Every operation, in the order of its value.</summary>
    public static ReadOnlySpan<ToeplitzOperation> Operations =>
        [ToeplitzOperation.Hash12, ToeplitzOperation.Hash36, ToeplitzOperation.HashOther, ToeplitzOperation.Batch12, ToeplitzOperation.Batch36];

    /// <summary>One path for every operation.</summary>
    public static ToeplitzPaths Everywhere(ToeplitzImplementation implementation) =>
        new(implementation, implementation, implementation, implementation, implementation);

    public ToeplitzImplementation this[ToeplitzOperation operation] => operation switch
    {
        ToeplitzOperation.Hash12 => Hash12,
        ToeplitzOperation.Hash36 => Hash36,
        ToeplitzOperation.HashOther => HashOther,
        ToeplitzOperation.Batch12 => Batch12,
        ToeplitzOperation.Batch36 => Batch36,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a Toeplitz operation."),
    };

    /// <summary>Whether any operation takes <paramref name="implementation"/>.</summary>
    public bool Uses(ToeplitzImplementation implementation) =>
        Hash12 == implementation || Hash36 == implementation || HashOther == implementation || Batch12 == implementation || Batch36 == implementation;

    /// <summary>These paths with <paramref name="operation"/> taking <paramref name="implementation"/>.</summary>
    public ToeplitzPaths With(ToeplitzOperation operation, ToeplitzImplementation implementation) => operation switch
    {
        ToeplitzOperation.Hash12 => this with { Hash12 = implementation },
        ToeplitzOperation.Hash36 => this with { Hash36 = implementation },
        ToeplitzOperation.HashOther => this with { HashOther = implementation },
        ToeplitzOperation.Batch12 => this with { Batch12 = implementation },
        ToeplitzOperation.Batch36 => this with { Batch36 = implementation },
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a Toeplitz operation."),
    };
}
