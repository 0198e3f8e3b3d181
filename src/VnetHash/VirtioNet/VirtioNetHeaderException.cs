namespace VnetHash.VirtioNet;

/// <summary>A vnet header breaks a kernel rule; <see cref="Error"/> names the rule.</summary>
public sealed class VirtioNetHeaderException : FormatException
{
    /// <summary>Creates the error for <paramref name="error"/> with a message that gives the values at fault.</summary>
    public VirtioNetHeaderException(VirtioNetHeaderError error, string message)
        : base($"{error}: {message}")
    {
        Error = error;
    }

    /// <summary>The rule the header breaks.</summary>
    public VirtioNetHeaderError Error { get; }
}
