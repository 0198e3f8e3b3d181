using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VnetHash.Cli;

/// <summary>
/// Writes one JSON object per call, as a single line, with a Utf8JsonWriter (no reflection, trimming-safe).
/// Text is escaped for JSON only, not for HTML, so "->" and "'" stay readable.
/// </summary>
internal static class JsonOutput
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        ConsoleFactory.WriteWhole(output, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + output.NewLine);
    }
}
