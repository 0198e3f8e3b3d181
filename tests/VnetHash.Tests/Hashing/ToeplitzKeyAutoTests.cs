using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

public sealed class ToeplitzKeyAutoTests : ToeplitzKeyTestDriver
{
    protected override ToeplitzImplementation Implementation => ToeplitzImplementation.Auto;
}
