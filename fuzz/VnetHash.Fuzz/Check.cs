using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace VnetHash.Fuzz;

/// <summary>Assertions for fuzz targets: a failure is a <see cref="FuzzFindingException"/>, which AFL++ records as a crash.</summary>
internal static class Check
{
    public static void That([DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzFindingException(message);
        }
    }

    /// <summary>
    /// As above, with the message formatted only when the check fails: a target that measures what the code under
    /// test allocates must not count messages it never shows (they were ~800 bytes a packet of a capture).
    /// </summary>
    public static void That([DoesNotReturnIf(false)] bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessage message)
    {
        if (!condition)
        {
            throw new FuzzFindingException(message.ToStringAndClear());
        }
    }

    public static void Equal<T>(T expected, T actual, [CallerArgumentExpression(nameof(actual))] string what = "")
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new FuzzFindingException($"{what}: expected {expected}, got {actual}");
        }
    }

    public static void SequenceEqual<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
        where T : IEquatable<T>
    {
        if (!expected.SequenceEqual(actual))
        {
            throw new FuzzFindingException($"{what}: expected [{string.Join(' ', expected.ToArray())}], got [{string.Join(' ', actual.ToArray())}]");
        }
    }

    /// <summary>The call must throw exactly <typeparamref name="TException"/> (a documented refusal), nothing else and not nothing.</summary>
    public static void Throws<TException>(Action action, string what)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (Exception e) when (e.GetType() == typeof(TException))
        {
            return;
        }

        throw new FuzzFindingException($"{what}: expected {typeof(TException).Name}, got no exception");
    }
}

/// <summary>An interpolated message that is built only when its check fails.</summary>
[InterpolatedStringHandler]
internal ref struct FailureMessage
{
    private readonly bool _failed;
    private DefaultInterpolatedStringHandler _text;

    public FailureMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        _failed = !condition;
        _text = _failed ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        shouldAppend = _failed;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment, string? format = null) => _text.AppendFormatted(value, alignment, format);

    public string ToStringAndClear() => _failed ? _text.ToStringAndClear() : string.Empty;
}
