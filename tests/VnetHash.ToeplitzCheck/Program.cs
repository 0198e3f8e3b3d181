using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using VnetHash.Hashing;
using VnetHash.ToeplitzCheck;

// usage: VnetHash.ToeplitzCheck clmul|no-clmul VECTORS
//   clmul     the runtime must offer CarrylessMultiply, and every path must equal the definition (Gfni256 too where
//             the runtime offers it)
//   no-clmul  it must not (ARM64 without PMULL or with DOTNET_EnableArm64Aes=0), and forcing the path must fail clearly
// VECTORS holds one public vector per line: key, input and expected hash in hex. Prints what the process runs on,
// then per path the hashes checked. Exit 0 when every check holds, 1 when a hash differs, 2 when the runtime offers
// other paths than expected.
if (args.Length != 2 || args[0] is not ("clmul" or "no-clmul"))
{
    Console.Error.WriteLine("usage: VnetHash.ToeplitzCheck clmul|no-clmul VECTORS");
    return 2;
}

bool expectClmul = args[0] == "clmul";
bool clmul = ToeplitzKey.IsSupported(ToeplitzImplementation.CarrylessMultiply);
Console.WriteLine($"architecture: {RuntimeInformation.ProcessArchitecture}");
Console.WriteLine($"CarrylessMultiply supported: {clmul}");
Console.WriteLine($"256-bit carry-less kernels: {Pclmulqdq.V256.IsSupported && Avx2.IsSupported}");
Console.WriteLine($"Gfni256 supported: {ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni256)}");
Console.WriteLine($"Gfni512 supported: {ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni512)}");
if (clmul != expectClmul)
{
    Console.WriteLine($"expected a process {(expectClmul ? "with" : "without")} CarrylessMultiply");
    return 2;
}

if (!expectClmul)
{
    try
    {
        _ = new ToeplitzKey(ToeplitzKey.MicrosoftKey, ToeplitzImplementation.CarrylessMultiply);
        Console.WriteLine("forcing CarrylessMultiply did not fail");
        return 2;
    }
    catch (PlatformNotSupportedException e)
    {
        Console.WriteLine($"forcing CarrylessMultiply: {e.Message}");
    }
}

var vectors = File.ReadAllLines(args[1])
    .Where(line => line.Length > 0)
    .Select(line => line.Split(' '))
    .Select(f => (Key: Convert.FromHexString(f[0]), Input: Convert.FromHexString(f[1]), Hash: uint.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
    .ToArray();

ToeplitzImplementation[] paths = clmul
    ? [ToeplitzImplementation.Table, ToeplitzImplementation.CarrylessMultiply, ToeplitzImplementation.Auto]
    : [ToeplitzImplementation.Table, ToeplitzImplementation.Auto];
if (ToeplitzKey.IsSupported(ToeplitzImplementation.Gfni256))
{
    paths = [.. paths, ToeplitzImplementation.Gfni256];
}

int failures = 0;
foreach (ToeplitzImplementation path in paths)
{
    var checks = new PathChecks(path);
    checks.PublicVectors(vectors);
    checks.EveryLengthAndOffset(seed: 1);
    checks.Batches(seed: 2);
    checks.Frames(seed: 3);
    Console.WriteLine(checks.Summary);
    failures += checks.Failures;
}

Console.WriteLine(failures == 0 ? "all equal" : $"{failures} differences");
return failures == 0 ? 0 : 1;
