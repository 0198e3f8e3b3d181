using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

public sealed class ToeplitzKeyGfni512Tests : ToeplitzKeyTestDriver
{
    protected override ToeplitzImplementation Implementation => ToeplitzImplementation.Gfni512;
}
