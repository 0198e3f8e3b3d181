using System.Globalization;
using System.Text.Json;
using VnetHash.Cli.Options;
using VnetHash.Packets;

namespace VnetHash.Cli.Explanation;

/// <summary>Writes a <see cref="HashExplanation"/> as text lines or as the <c>explain</c> member of a JSON answer.</summary>
internal static class ExplanationRenderer
{
    public static void WriteText(TextWriter output, HashExplanation e, ReadOnlySpan<byte> key)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frame:   {(e.Kind == FrameKind.IP ? "IP packet (--l3)" : "Ethernet frame")}, {e.FrameLength} bytes, {RssOptions.FormatProfile(e.Profile)} rules"));
        output.WriteLine("headers:");
        foreach (WalkedHeader h in e.Headers)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {h.Offset,5}..{h.Offset + h.Length - 1,-5} {h.Name}: {h.Detail}"));
        }

        if (e.Headers.Count == 0)
        {
            output.WriteLine("  (none)");
        }

        output.WriteLine("types:   in the specification's order:");
        foreach (TypeCheck t in e.Types)
        {
            output.WriteLine($"  {ReportNames.Name(t.Type),-9} {t.Note}");
        }

        output.WriteLine($"type:    {ReportNames.Name(e.Hash.Report)} (report {(int)e.Hash.Report}): {e.Reason}");
        if (e.Tuple is not null)
        {
            output.WriteLine($"tuple:   {e.Tuple}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"input:   {Hex.Format(e.Input)} ({e.Input.Length} bytes, exactly what the Toeplitz hash reads)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"key:     {Hex.Format(key)} ({key.Length} bytes)"));
        }

        output.WriteLine($"hash:    {e.Hash.Value:x8}");
        if (e.Queue is QueueChoice q)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queue:   {q.Queue}: {QueueText(q)}"));
        }
    }

    public static void WriteJson(Utf8JsonWriter w, HashExplanation e)
    {
        w.WriteStartObject("explain");
        w.WriteString("framing", e.Kind == FrameKind.IP ? "ip" : "ethernet");
        w.WriteNumber("length", e.FrameLength);
        w.WriteString("profile", RssOptions.FormatProfile(e.Profile));
        w.WriteStartArray("headers");
        foreach (WalkedHeader h in e.Headers)
        {
            w.WriteStartObject();
            w.WriteNumber("offset", h.Offset);
            w.WriteNumber("length", h.Length);
            w.WriteString("name", h.Name);
            w.WriteString("detail", h.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("types");
        foreach (TypeCheck t in e.Types)
        {
            w.WriteStartObject();
            w.WriteString("type", ReportNames.Name(t.Type));
            w.WriteBoolean("applies", t.Applies);
            w.WriteBoolean("enabled", t.Enabled);
            w.WriteString("note", t.Note);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("reason", e.Reason);
        if (e.Tuple is null)
        {
            w.WriteNull("tuple");
        }
        else
        {
            w.WriteString("tuple", e.Tuple);
        }

        w.WriteString("input", Hex.Format(e.Input));
        if (e.Queue is QueueChoice q)
        {
            if (q.TableIndex is int index)
            {
                w.WriteNumber("table_index", index);
            }
            else
            {
                w.WriteNull("table_index");
            }

            w.WriteNumber("table_entry", q.Entry);
            w.WriteString("queue_reason", QueueText(q));
        }

        w.WriteEndObject();
    }

    private static string QueueText(QueueChoice q)
    {
        string from = q.TableIndex is int index
            ? string.Create(CultureInfo.InvariantCulture, $"hash & mask = table index {index}, whose entry is {q.Entry}")
            : string.Create(CultureInfo.InvariantCulture, $"no hash, so the unclassified queue {q.Entry}");
        return q.Entry >= q.Queues
            ? string.Create(CultureInfo.InvariantCulture, $"{from}, modulo {q.Queues} queues (--wrap-queues)")
            : from;
    }
}
