using Spectre.Console;

namespace VnetHash.Cli;

/// <summary>A Spectre console over a given writer; plain text at a fixed width (<see cref="Width"/>) when the output is not a terminal.</summary>
internal static class ConsoleFactory
{
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
    /// Whether text written to <paramref name="output"/> may carry ANSI styles: a terminal, unless NO_COLOR is set
    /// (no-color.org) or TERM says the terminal takes none.
    /// </summary>
    public static bool IsStyled(TextWriter output) =>
        IsTerminal(output)
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

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
            return Console.WindowWidth > 0 ? Console.WindowWidth : fileWidth;
        }
        catch (IOException)
        {
            return fileWidth;
        }
    }
}
