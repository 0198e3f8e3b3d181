using System.Text;
using Wcwidth;

namespace VnetHash.Cli.Analysis;

/// <summary>
/// A table of the text report, written straight to a writer: a rounded box-drawing border, each column as wide as its
/// widest cell with one space either side, cells aligned left or right, and an optional title above and caption below,
/// centred on the table. Nothing is wrapped or shortened; a table wider than the terminal is wrapped by the terminal.
/// A control character in a cell is shown as U+FFFD, so that it cannot move the cursor and break the border. The
/// report's few tables are laid out here rather than through a layout library: see docs/design.md, "the text report".
/// </summary>
internal sealed class TextTable
{
    private readonly string? _title;
    private readonly string? _caption;
    private readonly List<string> _headers = [];
    private readonly List<bool> _rightAligned = [];
    private readonly List<string[]> _rows = [];

    public TextTable(string? title = null, string? caption = null)
    {
        _title = title;
        _caption = caption;
    }

    /// <summary>Adds a column, left-aligned unless <paramref name="rightAligned"/> (numbers).</summary>
    public TextTable Column(string header, bool rightAligned = false)
    {
        if (_rows.Count > 0)
        {
            throw new InvalidOperationException("Columns are added before the rows.");
        }

        _headers.Add(header);
        _rightAligned.Add(rightAligned);
        return this;
    }

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Count)
        {
            throw new ArgumentException($"A row of {cells.Length} cells for {_headers.Count} columns.", nameof(cells));
        }

        _rows.Add([.. cells.Select(Printable)]);
    }

    public void WriteTo(TextWriter output)
    {
        if (_headers.Count == 0)
        {
            throw new InvalidOperationException("A table needs a column.");
        }

        int[] widths = [.. _headers.Select(Width)];
        foreach (string[] row in _rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], Width(row[c]));
            }
        }

        // Each column and its two spaces, and one border more than there are columns.
        int tableWidth = widths.Sum() + (3 * widths.Length) + 1;
        var line = new StringBuilder(tableWidth);
        Centred(output, _title, tableWidth);
        Border(output, line, widths, '╭', '┬', '╮');
        Row(output, line, widths, [.. _headers]);
        if (_rows.Count > 0)
        {
            Border(output, line, widths, '├', '┼', '┤');
        }

        foreach (string[] row in _rows)
        {
            Row(output, line, widths, row);
        }

        Border(output, line, widths, '╰', '┴', '╯');
        Centred(output, _caption, tableWidth);
    }

    /// <summary>
    /// The columns a string takes on a terminal: one per printable ASCII character; other characters as wcwidth counts
    /// them (two for East Asian wide characters, none for combining marks and control characters).
    /// </summary>
    public static int Width(string text)
    {
        if (!text.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            return text.Length;
        }

        int width = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            width += Math.Max(0, UnicodeCalculator.GetWidth(rune.Value));
        }

        return width;
    }

    private static string Printable(string cell) =>
        cell.Any(char.IsControl) ? new string([.. cell.Select(c => char.IsControl(c) ? '\uFFFD' : c)]) : cell;

    private void Row(TextWriter output, StringBuilder line, int[] widths, string[] cells)
    {
        line.Clear().Append('│');
        for (int c = 0; c < cells.Length; c++)
        {
            int pad = widths[c] - Width(cells[c]);
            line.Append(' ');
            if (_rightAligned[c])
            {
                line.Append(' ', pad).Append(cells[c]);
            }
            else
            {
                line.Append(cells[c]).Append(' ', pad);
            }

            line.Append(" │");
        }

        output.WriteLine(line);
    }

    private static void Border(TextWriter output, StringBuilder line, int[] widths, char left, char between, char right)
    {
        line.Clear().Append(left);
        for (int c = 0; c < widths.Length; c++)
        {
            line.Append('─', widths[c] + 2).Append(c == widths.Length - 1 ? right : between);
        }

        output.WriteLine(line);
    }

    private static void Centred(TextWriter output, string? text, int width)
    {
        if (text is not null)
        {
            output.Write(new string(' ', Math.Max(0, (width - Width(text)) / 2)));
            output.WriteLine(text);
        }
    }
}
