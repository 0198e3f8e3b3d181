using System.CommandLine;
using VnetHash.Cli.Options;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Reading;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash probe</c>: what this host offers for multi-queue TAPs with RSS, and which backend auto takes.</summary>
internal static class ProbeCommand
{
    private static readonly Option<bool> NoDevice = new("--no-device")
    {
        Description = "Do not create a throwaway tap to ask the kernel's hashing ioctls and try the steering program.",
    };

    public static Command Create()
    {
        var command = new Command("probe", "Kernel, privileges, /dev/net/tun, bpf(2), the series' hashing ioctls, and which backend auto takes and why.")
        {
            NoDevice,
            CommonOptions.Netns,
            CommonOptions.Json,
        };
        command.SetAction((parse, token) =>
        {
            string? netns = parse.GetValue(CommonOptions.Netns);
            return NamespaceExec.MustEnter(netns)
                ? NamespaceExec.RunInsideAsync(netns!, parse.InvocationConfiguration.Error, token)
                : CommandRunner.RunAsync(parse.InvocationConfiguration.Error, () => Probe(parse));
        });
        return command;
    }

    private static ExitCode Probe(ParseResult parse)
    {
        TunCapabilities capabilities = HostProbe.Run(new HostProbeOptions { CreateProbeDevice = !parse.GetValue(NoDevice) });
        Print(capabilities, parse.GetValue(CommonOptions.Json), parse.InvocationConfiguration.Output);
        return ExitCode.Ok;
    }

    private static void Print(TunCapabilities c, bool json, TextWriter stdout)
    {
        TunDeviceProbe? device = c.Device;
        KernelHashSupport? hash = device?.Hash;
        string autoBackend = device is null ? "unknown" : device.Auto.Kind.ToString().ToLowerInvariant();
        string autoReason = device?.Auto.Reason ?? c.DeviceProbeSkipped ?? "no device probe";
        string? abi = hash is { IsSupported: true } ? hash.Generation.ToString().ToLowerInvariant() : null;
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("kernel_release", c.KernelRelease);
                w.WriteBoolean("root", c.IsRoot);
                w.WriteString("capabilities", c.Capabilities.ToString());
                w.WriteBoolean("tun_device_opens", c.TunDevice.Opens);
                w.WriteString("tun_device", c.TunDevice.Detail);
                if (c.UnprivilegedBpfDisabled is int bpf)
                {
                    w.WriteNumber("unprivileged_bpf_disabled", bpf);
                }
                else
                {
                    w.WriteNull("unprivileged_bpf_disabled");
                }

                w.WriteString("reader_engine", c.Reader.Auto == ReaderEngine.IoUring ? "io_uring" : "poll");
                w.WriteString("reader_engine_reason", c.Reader.Reason);
                w.WriteString("auto_backend", autoBackend);
                w.WriteString("auto_reason", autoReason);
                w.WriteBoolean("kernel_native", hash?.IsSupported ?? false);
                if (abi is null)
                {
                    w.WriteNull("kernel_native_abi");
                }
                else
                {
                    w.WriteString("kernel_native_abi", abi);
                }

                // Numbers where the kernel has the series, null where it has nothing to say.
                if (hash is { IsSupported: true })
                {
                    w.WriteNumber("kernel_hash_types", (uint)hash.Types);
                    w.WriteString("kernel_hash_type_names", HashTypesParser.Format(hash.Types));
                    // Only v5 (TUNGETVNETHASHCAP) answers with capability flags; v12 has none to give.
                    if (hash.Generation == KernelHashGeneration.V5)
                    {
                        w.WriteNumber("kernel_hash_flags", hash.Flags);
                    }
                    else
                    {
                        w.WriteNull("kernel_hash_flags");
                    }
                }
                else
                {
                    w.WriteNull("kernel_hash_types");
                    w.WriteNull("kernel_hash_type_names");
                    w.WriteNull("kernel_hash_flags");
                }
                if (device is not null)
                {
                    w.WriteNumber("kernel_features", device.KernelFeatures);
                    w.WriteBoolean("steering_program_usable", device.SteeringProgramUsable);
                    w.WriteString("steering_program", device.SteeringProgramDetail);
                    w.WriteString("kernel_hash_detail", device.Hash.Detail);
                }
                else
                {
                    w.WriteString("device_probe_skipped", c.DeviceProbeSkipped ?? "not asked for");
                }
            });
            return;
        }

        stdout.WriteLine($"Kernel:              {c.KernelRelease}");
        stdout.WriteLine($"Root:                {(c.IsRoot ? "yes" : "no")}");
        stdout.WriteLine($"Capabilities:        {c.Capabilities}");
        stdout.WriteLine($"/dev/net/tun:        {c.TunDevice.Detail}");
        stdout.WriteLine($"Reader:              {c.Reader.Reason}");
        stdout.WriteLine($"unprivileged bpf:    {(c.UnprivilegedBpfDisabled is int b ? b.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unreadable")}");
        if (device is null)
        {
            stdout.WriteLine($"Device probe:        skipped: {c.DeviceProbeSkipped ?? "not asked for"}");
            return;
        }

        stdout.WriteLine($"Kernel RSS/report:   {(abi is null ? "no" : abi)} ({device.Hash.Detail})");
        string flags = device.Hash.Generation == KernelHashGeneration.V5 ? $", flags 0x{device.Hash.Flags:x}" : string.Empty;
        stdout.WriteLine($"Kernel hash types:   {HashTypesParser.Format(device.Hash.Types)} (0x{(uint)device.Hash.Types:x}){flags}");
        stdout.WriteLine($"Steering program:    {(device.SteeringProgramUsable ? "usable" : "not usable")} ({device.SteeringProgramDetail})");
        stdout.WriteLine($"auto takes:          {autoBackend}: {autoReason}");
    }
}
