using System.CommandLine;
using VnetHash.Abi;
using VnetHash.Cli.Options;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.VirtioNet;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash config</c>: show an RSS configuration, and encode or decode its binary forms.</summary>
internal static class ConfigCommand
{
    private static readonly Option<string?> Abi = new("--abi")
    {
        Description = "Kernel ioctl argument of the series: v5 (TUNSETVNETHASH) or v12 (TUNSETVNETRSS).",
        HelpName = "v5|v12",
    };

    private static readonly Option<string?> Virtio = new("--virtio")
    {
        Description = "virtio-net control command: rss_config (VIRTIO_NET_CTRL_MQ_RSS_CONFIG) or hash_config (VIRTIO_NET_CTRL_MQ_HASH_CONFIG).",
        HelpName = "rss_config|hash_config",
    };

    private static readonly Option<bool> Report = new("--report")
    {
        Description = "v5: set TUN_VNET_HASH_REPORT as well as TUN_VNET_HASH_RSS.",
    };

    private static readonly Option<string> Hex = new("--hex")
    {
        Description = "The encoded bytes as hex.",
        Required = true,
        HelpName = "HEX",
    };

    static ConfigCommand()
    {
        Abi.AcceptOnlyFromAmong("v5", "v12");
        Virtio.AcceptOnlyFromAmong("rss_config", "hash_config");
    }

    public static Command Create() => new("config", "Show an RSS configuration as ethtool -x does; encode and decode its kernel and virtio forms.")
    {
        ShowCommand(),
        EncodeCommand(),
        DecodeCommand(),
    };

    private static Command ShowCommand()
    {
        var command = new Command("show", "Print the configuration the options describe, in ethtool -x layout.");
        AddConfigurationOptions(command);
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, () =>
        {
            int queues = parse.GetValue(CommonOptions.Queues);
            ConfigurationPrinter.Print(RssOptions.Build(parse, queues), queues, parse.GetValue(CommonOptions.Json), parse.InvocationConfiguration.Output);
            return ExitCode.Ok;
        }));
        return command;
    }

    private static Command EncodeCommand()
    {
        var command = new Command("encode", "Encode the configuration the options describe as hex: --abi v5|v12 or --virtio rss_config|hash_config.")
        {
            Abi,
            Virtio,
            Report,
        };
        AddConfigurationOptions(command);
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, () =>
        {
            int queues = parse.GetValue(CommonOptions.Queues);
            RssConfiguration configuration = RssOptions.Build(parse, queues);
            string format = Format(parse);
            byte[] bytes = format switch
            {
                "v5" => TunVnetHashV5.Encode(configuration, parse.GetValue(Report)),
                "v12" => TunVnetRssV12.Encode(configuration),
                "rss_config" => VirtioNetRssConfig.FromRssConfiguration(configuration, (ushort)Math.Min(queues, ushort.MaxValue)).ToArray(),
                _ => VirtioNetHashConfig.FromRssConfiguration(configuration).ToArray(),
            };
            TextWriter stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(CommonOptions.Json))
            {
                JsonOutput.Write(stdout, w =>
                {
                    w.WriteString("format", format);
                    w.WriteNumber("length", bytes.Length);
                    w.WriteString("hex", Options.Hex.Format(bytes));
                });
            }
            else
            {
                stdout.WriteLine(Options.Hex.Format(bytes));
            }

            return ExitCode.Ok;
        }));
        return command;
    }

    private static Command DecodeCommand()
    {
        var command = new Command("decode", "Decode hex of --abi v5|v12 or --virtio rss_config|hash_config and show the configuration.")
        {
            Abi,
            Virtio,
            Hex,
            CommonOptions.Profile,
            CommonOptions.Json,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, () =>
        {
            byte[] bytes;
            try
            {
                bytes = Options.Hex.Parse(parse.GetValue(Hex)!, "--hex");
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            HashProfile profile = RssOptions.ParseProfile(parse.GetValue(CommonOptions.Profile));
            bool json = parse.GetValue(CommonOptions.Json);
            TextWriter stdout = parse.InvocationConfiguration.Output;

            string format = Format(parse);
            try
            {
                Decode(format, bytes, profile, json, stdout);
            }
            catch (ConfigurationException e)
            {
                // Bytes someone else built that break a rule are bad input, not a bad option.
                parse.InvocationConfiguration.Error.WriteLine($"error: cannot decode: {e.Message}");
                return ExitCode.InvalidInput;
            }

            return ExitCode.Ok;
        }));
        return command;
    }

    private static void Decode(string format, byte[] bytes, HashProfile profile, bool json, TextWriter stdout)
    {
        // Decoding inspects what someone else built, so the device limits are the widest the spec allows.
        var limits = new VirtioNetDeviceLimits(VirtioNetDeviceLimits.MaxQueuePairs, byte.MaxValue, VirtioNetRssConfig.MaxIndirectionTableLength);
        switch (format)
        {
            case "v5":
                TunVnetHashSettingV5 setting = TunVnetHashV5.Decode(bytes, profile);
                if (setting.Rss is null)
                {
                    PrintHashOnly(stdout, json, setting.Report, setting.Types);
                }
                else
                {
                    ConfigurationPrinter.Print(setting.Rss, QueuesOf(setting.Rss), json, stdout);
                    if (!json)
                    {
                        stdout.WriteLine($"Hash report: {(setting.Report ? "on" : "off")}");
                    }
                }

                break;
            case "v12":
                RssConfiguration v12 = TunVnetRssV12.Decode(bytes, profile);
                ConfigurationPrinter.Print(v12, QueuesOf(v12), json, stdout);
                break;
            case "rss_config":
                VirtioNetRssConfig rss = VirtioNetRssConfig.Decode(bytes, limits);
                RssConfiguration fromRss = rss.ToRssConfiguration(profile);
                ConfigurationPrinter.Print(fromRss, Math.Max(rss.MaxTxVq, QueuesOf(fromRss)), json, stdout);
                break;
            default:
                VirtioNetHashConfig hash = VirtioNetHashConfig.Decode(bytes, limits);
                PrintHashOnly(stdout, json, report: true, hash.HashTypes, hash.HashKey);
                break;
        }
    }

    private static void AddConfigurationOptions(Command command)
    {
        foreach (Option option in CommonOptions.Configuration)
        {
            command.Add(option);
        }

        command.Add(CommonOptions.Json);
    }

    private static string Format(ParseResult parse)
    {
        string? abi = parse.GetValue(Abi);
        string? virtio = parse.GetValue(Virtio);
        return (abi, virtio) switch
        {
            (not null, null) => abi,
            (null, not null) => virtio,
            (null, null) => throw new UsageException("name the format: --abi v5|v12 or --virtio rss_config|hash_config"),
            _ => throw new UsageException("--abi and --virtio are alternatives; give one"),
        };
    }

    // A decoded table names queues, not how many there are: the smallest count its entries fit.
    private static int QueuesOf(RssConfiguration configuration) => configuration.IndirectionTable.ToArray().Max() + 1;

    private static void PrintHashOnly(TextWriter stdout, bool json, bool report, HashTypes types, ReadOnlySpan<byte> key = default)
    {
        string keyHex = Options.Hex.Format(key);
        string keyColon = Options.Hex.FormatColon(key);
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteBoolean("report", report);
                w.WriteString("types", HashTypesParser.Format(types));
                w.WriteNumber("types_mask", (uint)types);
                if (keyHex.Length > 0)
                {
                    w.WriteString("key", keyHex);
                }
            });
            return;
        }

        stdout.WriteLine("No RSS: hash reporting only.");
        if (keyColon.Length > 0)
        {
            stdout.WriteLine("RSS hash key:");
            stdout.WriteLine(keyColon);
        }

        stdout.WriteLine($"Hash types: {HashTypesParser.Format(types)} (0x{(uint)types:x})");
        stdout.WriteLine($"Hash report: {(report ? "on" : "off")}");
    }
}
