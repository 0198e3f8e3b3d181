using System.CommandLine;
using System.CommandLine.Parsing;

namespace VnetHash.Cli;

/// <summary>
/// Rules every option and argument of every command follows, applied once over the whole command tree so a
/// command added later follows them too: a text value is never empty, and a word that looks like an option is
/// never taken as a file name.
/// </summary>
internal static class CommandLineRules
{
    public static void Apply(Command root)
    {
        var seen = new HashSet<Symbol>();
        Visit(root, seen);
    }

    private static void Visit(Command command, HashSet<Symbol> seen)
    {
        foreach (Option option in command.Options)
        {
            if (option.ValueType == typeof(string) && seen.Add(option))
            {
                string name = option.Name;
                option.Validators.Add(result => RefuseEmpty(result, name));
            }
        }

        foreach (Argument argument in command.Arguments)
        {
            if ((argument.ValueType == typeof(string) || argument.ValueType == typeof(string[])) && seen.Add(argument))
            {
                string name = argument.Name;
                argument.Validators.Add(result => RefuseOptionsAndEmpty(result, name));
            }
        }

        foreach (Command subcommand in command.Subcommands)
        {
            Visit(subcommand, seen);
        }
    }

    private static void RefuseEmpty(OptionResult result, string name)
    {
        if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
        {
            result.AddError($"{name}: the value is empty");
        }
    }

    private static void RefuseOptionsAndEmpty(ArgumentResult result, string name)
    {
        foreach (Token token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError($"{name}: an empty value");
            }
            else if (token.Value.Length > 1 && token.Value[0] == '-')
            {
                // An option this command does not know reaches the argument; a file whose name starts with '-' is ./-name.
                result.AddError($"unknown option '{token.Value}' (see --help; a file whose name starts with '-' can be given as ./{token.Value})");
            }
        }
    }
}
