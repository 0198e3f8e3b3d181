namespace VnetHash.Cli.Tests.Infrastructure;

/// <summary>A fact that needs <c>../shared/vectors/toeplitz-public.json</c> and skips, saying so, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VectorsFactAttribute : FactAttribute
{
    public VectorsFactAttribute()
    {
        if (!File.Exists(TestFiles.Vectors))
        {
            Skip = $"{TestFiles.Vectors} is absent: the shared public vectors sit next to the repository";
        }
    }
}
