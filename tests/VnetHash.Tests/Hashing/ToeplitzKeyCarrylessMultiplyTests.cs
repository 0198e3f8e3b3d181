using VnetHash.Hashing;

namespace VnetHash.Tests.Hashing;

public sealed class ToeplitzKeyCarrylessMultiplyTests : ToeplitzKeyTestDriver
{
    protected override ToeplitzImplementation Implementation => ToeplitzImplementation.CarrylessMultiply;
}
