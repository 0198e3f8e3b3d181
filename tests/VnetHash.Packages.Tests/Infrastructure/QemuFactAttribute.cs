namespace VnetHash.Packages.Tests.Infrastructure;

/// <summary>A fact that runs a program under qemu's x86-64 user-mode emulation, and skips, saying so, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QemuFactAttribute : FactAttribute
{
    /// <summary>qemu's x86-64 user-mode emulator, from Debian's qemu-user-static (./test.sh installs it as root).</summary>
    public const string Qemu = "/usr/bin/qemu-x86_64-static";

    public QemuFactAttribute()
    {
        if (!File.Exists(Qemu))
        {
            Skip = $"{Qemu} is absent: install the Debian package qemu-user-static (./test.sh does as root)";
        }
    }
}
