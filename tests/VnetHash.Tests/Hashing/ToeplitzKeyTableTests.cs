using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

public sealed class ToeplitzKeyTableTests : ToeplitzKeyTestDriver
{
    protected override ToeplitzImplementation Implementation => ToeplitzImplementation.Table;
}
