using VnetHash.Cli.Analysis;

namespace VnetHash.Cli.Tests.Analysis;

public sealed class TextTableTests
{
    [Fact]
    public void Columns_take_their_widest_cell_numbers_go_right_and_title_and_caption_are_centred()
    {
        // 25 columns wide: the title starts after (25 - 6) / 2 spaces, the caption after (25 - 10) / 2.
        var table = new TextTable("Queues", "ideal 25 %")
            .Column("Queue")
            .Column("Packets", rightAligned: true)
            .Column("");
        table.AddRow("0", "633496", "###");
        table.AddRow("12", "7", "");

        Assert.Equal(
            """
                     Queues
            ╭───────┬─────────┬─────╮
            │ Queue │ Packets │     │
            ├───────┼─────────┼─────┤
            │ 0     │  633496 │ ### │
            │ 12    │       7 │     │
            ╰───────┴─────────┴─────╯
                   ideal 25 %

            """,
            Written(table));
    }

    [Fact]
    public void A_table_without_rows_title_or_caption_is_its_header_between_borders()
    {
        var table = new TextTable().Column("Report").Column("Packets", rightAligned: true);

        Assert.Equal(
            """
            ╭────────┬─────────╮
            │ Report │ Packets │
            ╰────────┴─────────╯

            """,
            Written(table));
    }

    [Fact]
    public void A_title_or_caption_wider_than_the_table_starts_at_its_left_border()
    {
        var table = new TextTable("Balance over the queues", "ideal: max/mean 1").Column("CV");
        table.AddRow("0.035");

        Assert.Equal(
            """
            Balance over the queues
            ╭───────╮
            │ CV    │
            ├───────┤
            │ 0.035 │
            ╰───────╯
            ideal: max/mean 1

            """,
            Written(table));
    }

    [Fact]
    public void A_control_character_in_a_cell_is_shown_as_a_replacement_character()
    {
        var table = new TextTable().Column("Configuration");
        table.AddRow("a\tb\u001b[31m\u0085");

        // Nine columns wide, padded to the header's thirteen.
        Assert.Contains("│ a\uFFFDb\uFFFD[31m\uFFFD     │", Written(table).Split('\n'));
    }

    [Theory]
    [InlineData("flows", 5)]
    [InlineData("", 0)]
    [InlineData("random 8e6e7008…", 16)] // U+2026, East Asian ambiguous: one column, as wcwidth has it
    [InlineData("表", 2)] // East Asian wide
    [InlineData("e\u0301", 1)] // a combining acute accent takes no column
    [InlineData("\U0001F600", 2)] // outside the BMP: one rune, two UTF-16 units, two columns
    [InlineData("\t", 0)] // control characters take none, alone or beside others
    [InlineData("a\té", 2)]
    public void Width_counts_terminal_columns_not_characters(string text, int columns)
    {
        Assert.Equal(columns, TextTable.Width(text));
    }

    [Fact]
    public void A_wide_label_keeps_the_border_straight()
    {
        var table = new TextTable().Column("Configuration");
        table.AddRow("表表");
        table.AddRow("e\u0301");

        string[] lines = Written(table).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(lines, line => Assert.Equal(TextTable.Width(lines[0]), TextTable.Width(line)));
        Assert.Contains("│ 表表          │", lines, StringComparer.Ordinal);
        Assert.Contains("│ e\u0301             │", lines, StringComparer.Ordinal);
    }

    [Fact]
    public void A_row_of_the_wrong_length_a_column_after_rows_or_a_table_without_columns_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new TextTable("empty").WriteTo(TextWriter.Null));

        var table = new TextTable().Column("a").Column("b");

        ArgumentException wrong = Assert.Throws<ArgumentException>(() => table.AddRow("1"));
        Assert.Contains("A row of 1 cells for 2 columns", wrong.Message, StringComparison.Ordinal);
        table.AddRow("1", "2");
        Assert.Throws<InvalidOperationException>(() => table.Column("c"));
    }

    private static string Written(TextTable table)
    {
        using var output = new StringWriter { NewLine = "\n" };
        table.WriteTo(output);
        return output.ToString();
    }
}
