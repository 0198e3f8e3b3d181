namespace VnetHash;

/// <summary>
/// A configuration breaks a rule: an RSS configuration's values, a kernel ioctl argument being decoded, or a
/// virtio-net control command. <see cref="Field"/> names the field as the kernel or virtio structure names it,
/// <see cref="Rule"/> the rule; the message adds the values at fault.
/// </summary>
public sealed class ConfigurationException : ArgumentException
{
    /// <summary>Creates the error for <paramref name="field"/> breaking <paramref name="rule"/>.</summary>
    /// <param name="rule">The rule broken.</param>
    /// <param name="field">The field at fault.</param>
    /// <param name="detail">The values at fault, in words.</param>
    public ConfigurationException(ConfigurationRule rule, string field, string detail)
        : base($"{field}: {rule}: {detail}")
    {
        Rule = rule;
        Field = field;
        Detail = detail;
    }

    /// <summary>The rule broken.</summary>
    public ConfigurationRule Rule { get; }

    /// <summary>The field at fault, as the virtio or kernel structure names it.</summary>
    public string Field { get; }

    /// <summary>The values at fault, in words (the message without the field and the rule).</summary>
    public string Detail { get; }
}
