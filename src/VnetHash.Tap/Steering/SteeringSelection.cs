namespace VnetHash.Tap.Steering;

/// <summary>The backend in use and why it was chosen (the probe answers that led to it).</summary>
/// <param name="Kind">The backend; never <see cref="SteeringBackendKind.Auto"/>.</param>
/// <param name="Reason">Why, in words: what each better backend answered.</param>
public sealed record SteeringSelection(SteeringBackendKind Kind, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind}: {Reason}";
}
