namespace VnetHash.Fuzz;

/// <summary>The code under test gave a wrong answer: a broken invariant, a disagreement with a reference, a failed round trip.</summary>
internal sealed class FuzzFindingException : Exception
{
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    public FuzzFindingException()
    {
    }

    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
