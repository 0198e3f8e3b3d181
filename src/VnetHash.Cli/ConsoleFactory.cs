using Spectre.Console;

namespace VnetHash.Cli;

/// <summary>A Spectre console over a given writer; plain text at a fixed width (<see cref="Width"/>) when the output is not a terminal.</summary>
internal static class ConsoleFactory
{
    // Opened once for the process: each Console.OpenStandardOutput() duplicates the descriptor, and WriteWhole serves
    // every JSON line of a stream (`hash --frame -`, `tap run`).
    private static readonly Lazy<Stream> StandardOutput = new(Console.OpenStandardOutput);

    public static IAnsiConsole Create(TextWriter output)
    {
        bool terminal = IsTerminal(output);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = Width(output);
        }

        return console;
    }

    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>
    /// The ANSI styles text written to <paramref name="output"/> may carry: none off a terminal, or where TERM is unset
    /// or "dumb"; bold but no colour where NO_COLOR is set to anything but the empty string (no-color.org).
    /// </summary>
    public static TextStyles Styles(TextWriter output)
    {
        if (!IsTerminal(output) || Environment.GetEnvironmentVariable("TERM") is not { Length: > 0 } term || term == "dumb")
        {
            return TextStyles.None;
        }

        return string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) ? TextStyles.Bold | TextStyles.Colour : TextStyles.Bold;
    }

    /// <summary>
    /// Writes <paramref name="text"/> in one write(2) where <paramref name="output"/> is the process's standard output.
    /// Console.Out writes every 256 characters: a report would leave in pieces, and a JSON line could reach a reader
    /// of a pipe in parts.
    /// </summary>
    public static void WriteWhole(TextWriter output, string text)
    {
        if (!ReferenceEquals(output, Console.Out))
        {
            output.Write(text);
            return;
        }

        StandardOutput.Value.Write(Console.OutputEncoding.GetBytes(text));
    }

    /// <summary>The columns output is laid out in: the terminal's width, or 120 in a file or pipe.</summary>
    public static int Width(TextWriter output)
    {
        const int fileWidth = 120;
        if (!IsTerminal(output))
        {
            return fileWidth;
        }

        try
        {
            int columns = Console.WindowWidth;
            return columns > 0 ? columns : fileWidth;
        }
        catch (IOException)
        {
            // Where no console can be asked (Windows without one); on Linux an unknown size reads as 0.
            return fileWidth;
        }
    }
}

/// <summary>ANSI styles that output may carry (<see cref="ConsoleFactory.Styles"/>).</summary>
[Flags]
internal enum TextStyles
{
    None = 0,
    Bold = 1,
    Colour = 2,
}
