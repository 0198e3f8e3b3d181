namespace VnetHash.Packages.Tests.Infrastructure;

/// <summary>The tests that share one packing and one Native AOT publish per run.</summary>
[CollectionDefinition(Name)]
public sealed class PackedCollection : ICollectionFixture<PackedRepository>
{
    public const string Name = "packed repository";
}
