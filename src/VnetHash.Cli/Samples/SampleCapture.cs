namespace VnetHash.Cli.Samples;

/// <summary>The small capture shipped inside the tool (made by <c>vnethash generate</c>), analysed when no file is given.</summary>
internal static class SampleCapture
{
    public const string Name = "sample.pcapng";

    public static Stream Open() =>
        typeof(SampleCapture).Assembly.GetManifestResourceStream(Name)
        ?? throw new InvalidOperationException($"The bundled {Name} is missing from the tool assembly.");
}
