using System.Text;
using System.Text.Json;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>One JSON object written as one line: a result of a scenario, with the fields that explain it.</summary>
internal sealed class ResultLine
{
    private readonly List<(string Name, object? Value)> _fields = [];

    public ResultLine(string scenario, string name)
    {
        Add("scenario", scenario);
        Add("case", name);
    }

    public ResultLine Add(string name, object? value)
    {
        _fields.Add((name, value));
        return this;
    }

    public string ToJson(bool ok, string? failure)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach ((string name, object? value) in _fields)
            {
                WriteValue(writer, name, value);
            }

            writer.WriteBoolean("ok", ok);
            if (failure is not null)
            {
                writer.WriteString("failure", failure);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(name);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                writer.WriteNumber(name, l);
                break;
            case uint u:
                writer.WriteNumber(name, u);
                break;
            case ushort s:
                writer.WriteNumber(name, s);
                break;
            case IEnumerable<int> list:
                writer.WriteStartArray(name);
                foreach (int item in list)
                {
                    writer.WriteNumberValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteString(name, value.ToString());
                break;
        }
    }
}
