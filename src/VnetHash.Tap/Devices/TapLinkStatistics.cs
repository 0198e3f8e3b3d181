namespace VnetHash.Tap.Devices;

/// <summary>
/// The kernel's counters of a TAP/TUN link (<c>IFLA_STATS64</c>). "Transmitted" is the way to the queue fds: frames
/// the host sends out of the device, which its readers take; "received" is what is written into the queue fds.
/// </summary>
/// <param name="TxPackets">Frames the readers took from the queues (tun counts a frame when a read returns it).</param>
/// <param name="TxBytes">Their bytes, without the vnet header.</param>
/// <param name="TxDropped">Frames tun dropped on the way to a queue: its queue was full, or no queue was attached.</param>
/// <param name="RxPackets">Frames written into the queue fds.</param>
/// <param name="RxBytes">Their bytes.</param>
/// <param name="RxDropped">Written frames the kernel dropped.</param>
public readonly record struct TapLinkStatistics(long TxPackets, long TxBytes, long TxDropped, long RxPackets, long RxBytes, long RxDropped);
