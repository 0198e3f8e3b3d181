namespace VnetHash.Tap.Errors;

/// <summary>What went wrong in a TAP-layer system call, independent of the raw errno.</summary>
public enum TapError
{
    /// <summary>An errno without a more specific meaning here; see <see cref="TapException.Errno"/>.</summary>
    Other,
    /// <summary>EPERM or EACCES: the caller lacks a capability (CAP_NET_ADMIN for tun, CAP_BPF for bpf).</summary>
    PermissionDenied,
    /// <summary>ENOENT: a path such as <c>/dev/net/tun</c> or a namespace file does not exist.</summary>
    NotFound,
    /// <summary>The device behind a queue fd is gone (EBADFD, ENODEV, EIO or poll error after the link was deleted or the queue detached).</summary>
    DeviceGone,
    /// <summary>EINVAL from a request the kernel does not know, ENOTTY or EOPNOTSUPP: the feature is absent.</summary>
    NotSupported,
    /// <summary>EINVAL for a request the kernel knows: an argument was rejected.</summary>
    InvalidArgument,
    /// <summary>EBUSY or EEXIST: the name or resource is taken, or two features exclude each other.</summary>
    Busy,
    /// <summary>ENOMEM, ENOBUFS, EMFILE or ENOSPC.</summary>
    ResourceExhausted,
    /// <summary>A frame or header was rejected before it reached the kernel.</summary>
    InvalidFrame,
}
