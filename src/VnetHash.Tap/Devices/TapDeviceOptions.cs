namespace VnetHash.Tap.Devices;

/// <summary>How to create or attach to a TAP/TUN device.</summary>
public sealed record TapDeviceOptions
{
    /// <summary>The virtio-net header size that carries a hash report (<c>virtio_net_hdr_v1_hash</c>).</summary>
    public const int HashReportHeaderSize = 20;

    /// <summary>The smallest vnet header the kernel accepts (the legacy <c>virtio_net_hdr</c>).</summary>
    public const int MinimumHeaderSize = 10;

    /// <summary>The largest vnet header this library sets (the kernel has no upper bound).</summary>
    public const int MaximumHeaderSize = 256;

    /// <summary>The most queues a tun device can have (<c>MAX_TAP_QUEUES</c>).</summary>
    public const int MaximumQueues = 256;

    private static readonly System.Buffers.SearchValues<char> ForbiddenNameCharacters = System.Buffers.SearchValues.Create("/: \t\n\0%");

    /// <summary>The interface name (at most 15 bytes); null lets the kernel choose (<c>tap%d</c> / <c>tun%d</c>).</summary>
    public string? Name { get; init; }

    /// <summary>TAP (Ethernet) or TUN (IP).</summary>
    public TapKind Kind { get; init; } = TapKind.Tap;

    /// <summary>How many queue fds to open and attach (1 to <see cref="MaximumQueues"/>).</summary>
    public int QueueCount { get; init; } = 1;

    /// <summary>
    /// The virtio-net header size in front of every frame: <see cref="HashReportHeaderSize"/> (default) so a hash report fits,
    /// 10 or 12 for plain headers, or 0 for no header at all (no <c>IFF_VNET_HDR</c>).
    /// </summary>
    public int VnetHeaderSize { get; init; } = HashReportHeaderSize;

    /// <summary>The offloads to accept (<c>TUNSETOFFLOAD</c>); needs a vnet header when not <see cref="TapOffloads.None"/>.</summary>
    public TapOffloads Offloads { get; init; } = TapOffloads.None;

    /// <summary>Whether the device outlives its fds (<c>TUNSETPERSIST</c>); a transient device disappears with its last fd.</summary>
    public bool Persistent { get; init; }

    /// <summary>Whether to set the link up after creation.</summary>
    public bool BringUp { get; init; } = true;

    /// <summary>Throws a named <see cref="ArgumentException"/> for the first value that breaks a rule.</summary>
    public void Validate()
    {
        if (Name is not null)
        {
            int bytes = System.Text.Encoding.UTF8.GetByteCount(Name);
            if (bytes == 0 || bytes >= Interop.Sys.IFNAMSIZ)
            {
                throw new ArgumentException($"the interface name must be 1 to {Interop.Sys.IFNAMSIZ - 1} bytes, got {bytes}", nameof(Name));
            }

            if (Name is "." or ".." || Name.AsSpan().IndexOfAny(ForbiddenNameCharacters) >= 0)
            {
                throw new ArgumentException($"the interface name '{Name}' contains a character Linux does not allow ('/', ':', '%', whitespace) or is '.'/'..'", nameof(Name));
            }
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown device kind");
        }

        if (QueueCount < 1 || QueueCount > MaximumQueues)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCount), QueueCount, $"must be from 1 to {MaximumQueues}");
        }

        if (VnetHeaderSize != 0 && (VnetHeaderSize < MinimumHeaderSize || VnetHeaderSize > MaximumHeaderSize))
        {
            throw new ArgumentOutOfRangeException(nameof(VnetHeaderSize), VnetHeaderSize, $"must be 0 (no header) or from {MinimumHeaderSize} to {MaximumHeaderSize}");
        }

        if ((Offloads & ~(TapOffloads.Checksum | TapOffloads.Segmentation)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Offloads), Offloads, "unknown offload bits");
        }

        if (Offloads != TapOffloads.None && VnetHeaderSize == 0)
        {
            throw new ArgumentException("offloads need a vnet header to describe checksums and segments", nameof(Offloads));
        }

        if ((Offloads & TapOffloads.Segmentation) != 0 && (Offloads & TapOffloads.Checksum) == 0)
        {
            throw new ArgumentException("segmentation offloads need the checksum offload as well (the kernel rejects them otherwise)", nameof(Offloads));
        }
    }
}
