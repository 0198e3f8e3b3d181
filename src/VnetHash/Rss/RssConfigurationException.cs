namespace VnetHash.Rss;

/// <summary>A configuration value breaks a rule; <see cref="Field"/> names the value and <see cref="Rule"/> the rule.</summary>
public sealed class RssConfigurationException : ArgumentException
{
    /// <summary>Creates the error for <paramref name="field"/> breaking <paramref name="rule"/>.</summary>
    public RssConfigurationException(string field, string rule)
        : base($"{field}: {rule}", field)
    {
        Field = field;
        Rule = rule;
    }

    /// <summary>The configuration field at fault, as the virtio or kernel structure names it.</summary>
    public string Field { get; }

    /// <summary>The rule it breaks, in words.</summary>
    public string Rule { get; }
}
