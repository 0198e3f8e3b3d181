using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace VnetHash.Cli.Options;

/// <summary>
/// Numeric options that parse their own text, so that a bad value is refused in words: "--queues: 99999999999
/// is out of range: give a whole number from 1 to 65536", never the parser's name of a .NET type.
/// </summary>
internal static class NumberOptions
{
    /// <summary>A whole-number option from <paramref name="min"/> to <paramref name="max"/> with a default.</summary>
    public static Option<T> Whole<T>(string name, T min, T max, T defaultValue, string description, string helpName = "N")
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
        };
        option.CustomParser = result => ParseWhole(result, name, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>A whole-number option from <paramref name="min"/> to <paramref name="max"/> that may be left out.</summary>
    public static Option<T?> OptionalWhole<T>(string name, T min, T max, string description, string helpName = "N")
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var option = new Option<T?>(name) { Description = description, HelpName = helpName };
        option.CustomParser = result => ParseWhole(result, name, min, max);
        return option;
    }

    /// <summary>A number of seconds greater than 0 that may be left out.</summary>
    public static Option<double?> Seconds(string name, string description)
    {
        var option = new Option<double?>(name) { Description = description, HelpName = "S" };
        option.CustomParser = result =>
        {
            string text = Text(result);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds))
            {
                result.AddError($"{name}: '{text}' is not a number; give a number of seconds greater than 0");
                return null;
            }

            if (seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                result.AddError($"{name}: {text} is out of range: give a number of seconds greater than 0 (and less than about 14,000 years)");
                return null;
            }

            return seconds;
        };
        return option;
    }

    /// <summary>The allowed range in words, for descriptions and messages.</summary>
    public static string Range<T>(T min, T max)
        where T : IBinaryInteger<T>, IMinMaxValue<T> =>
        string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}");

    private static T? ParseWhole<T>(ArgumentResult result, string name, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        string text = Text(result);

        // Parsed as the widest integer first, so that a number too big for T is "out of range", not "not a number".
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger value))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name}: '{text}' is not a whole number; the allowed range is {min} to {max}"));
            return null;
        }

        if (value < BigInteger.CreateTruncating(min) || value > BigInteger.CreateTruncating(max))
        {
            result.AddError($"{name}: {text} is out of range: give {Range(min, max)}");
            return null;
        }

        return T.CreateTruncating(value);
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value.Trim();
}
