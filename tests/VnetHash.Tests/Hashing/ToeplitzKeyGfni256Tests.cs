using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

public sealed class ToeplitzKeyGfni256Tests : ToeplitzKeyTestDriver
{
    protected override ToeplitzImplementation Implementation => ToeplitzImplementation.Gfni256;
}
