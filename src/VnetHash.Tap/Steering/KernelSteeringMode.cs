namespace VnetHash.Tap.Steering;

/// <summary>What the kernel-native backend asked the series' kernel to do.</summary>
public enum KernelSteeringMode
{
    /// <summary>Toeplitz RSS with hash reporting (v12 <c>TUNSETVNETREPORTINGRSS</c>, v5 <c>TUNSETVNETHASH</c> REPORT|RSS).</summary>
    Rss,

    /// <summary>
    /// Hash reporting without RSS (v12 <c>TUNSETVNETREPORTINGAUTOMQ</c>, v5 <c>TUNSETVNETHASH</c> REPORT): the kernel keeps
    /// its automatic queue selection and reports a value that is not a Toeplitz hash (<see cref="HashSource.KernelQueueIndex"/>).
    /// </summary>
    ReportOnly,
}
