using System.Runtime.InteropServices;

namespace VnetHash.TapBenchmarks.Infrastructure;

/// <summary>An owned program fd obtained by id, for programs another process loaded.</summary>
internal sealed class ProgramFd : SafeHandle
{
    public ProgramFd(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle.ToInt64() < 0;

    public int Value => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Close((int)handle.ToInt64()) == 0;

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
