namespace VnetHash.VirtioNet;

/// <summary>A virtio-net control command breaks a rule; <see cref="Error"/> names the rule and <see cref="Field"/> the field.</summary>
public sealed class VirtioNetConfigException : FormatException
{
    /// <summary>Creates the error for <paramref name="field"/> breaking <paramref name="error"/>.</summary>
    public VirtioNetConfigException(VirtioNetConfigError error, string field, string message)
        : base($"{field}: {error}: {message}")
    {
        Error = error;
        Field = field;
    }

    /// <summary>The rule at fault.</summary>
    public VirtioNetConfigError Error { get; }

    /// <summary>The field at fault, as the virtio structure names it.</summary>
    public string Field { get; }
}
