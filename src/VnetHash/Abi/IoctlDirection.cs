namespace VnetHash.Abi;

/// <summary>The direction bits of a Linux ioctl number (<c>_IOC_NONE</c>, <c>_IOC_WRITE</c>, <c>_IOC_READ</c>), as x86 and arm64 define them.</summary>
[Flags]
public enum IoctlDirection : uint
{
    /// <summary><c>_IO</c>: no argument is transferred.</summary>
    None = 0,

    /// <summary><c>_IOW</c>: the caller passes data to the kernel.</summary>
    Write = 1,

    /// <summary><c>_IOR</c>: the kernel passes data to the caller.</summary>
    Read = 2,

    /// <summary><c>_IOWR</c>: both.</summary>
    ReadWrite = Write | Read,
}
