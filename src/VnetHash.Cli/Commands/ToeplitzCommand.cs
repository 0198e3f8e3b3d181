using System.CommandLine;
using VnetHash.Cli.Options;
using VnetHash.Hashing;

namespace VnetHash.Cli.Commands;

/// <summary><c>vnethash toeplitz</c>: the Toeplitz hash of raw input bytes.</summary>
internal static class ToeplitzCommand
{
    private static readonly Option<string> Data = new("--data")
    {
        Description = "Input bytes as hex (e.g. source address, destination address, ports, in network byte order).",
        Required = true,
        HelpName = "HEX",
    };

    public static Command Create()
    {
        var command = new Command("toeplitz", "Print the Toeplitz hash of --data under --key as 8 hex digits.")
        {
            CommonOptions.Key,
            Data,
            CommonOptions.Json,
        };
        command.SetAction((parse, _) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, () => Run(RssOptions.Key(parse, parse.GetValue(CommonOptions.Key)), parse.GetValue(Data)!, parse.GetValue(CommonOptions.Json), stdout));
        });
        return command;
    }

    public static ExitCode Run(byte[] key, string dataText, bool json, TextWriter stdout)
    {
        byte[] data;
        try
        {
            data = Hex.Parse(dataText, "--data");
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        if (key.Length < data.Length + ToeplitzKey.WindowBytes)
        {
            throw new UsageException($"--key: a {data.Length}-byte input needs a key of at least {data.Length + ToeplitzKey.WindowBytes} bytes, but the key has {key.Length}");
        }

        uint hash = ToeplitzReference.Hash(key, data);
        string hex = hash.ToString("x8");
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteString("hash", hex);
                w.WriteNumber("input_bytes", data.Length);
                w.WriteNumber("key_bytes", key.Length);
            });
        }
        else
        {
            stdout.WriteLine(hex);
        }

        return ExitCode.Ok;
    }
}
