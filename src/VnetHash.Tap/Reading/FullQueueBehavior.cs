namespace VnetHash.Tap.Reading;

/// <summary>What a reader does when a receive queue reaches its limit because the consumer is slow.</summary>
public enum FullQueueBehavior
{
    /// <summary>
    /// Stop reading the kernel queue until the consumer has drained the receive queue to half its limits. Frames then
    /// pile up in the kernel, which drops them once its own queue (<c>txqueuelen</c>) is full and counts them as
    /// the tap's <c>tx_dropped</c>.
    /// </summary>
    Pause,
    /// <summary>Keep reading and drop the frames that do not fit, counting them as <see cref="ReceiveQueueStatistics.DroppedQueueFull"/>.</summary>
    Drop,
}
