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
