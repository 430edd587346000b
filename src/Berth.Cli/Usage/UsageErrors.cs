using System.Text.RegularExpressions;
using Berth.Cli.Output;
using Berth.Spec;
using Spectre.Console.Cli;

namespace Berth.Cli.Usage;

/// <summary>
/// Explains a command line Spectre refused (unknown option or command, missing value or argument, extra argument) in one
/// line with a "did you mean", then prints the command's usage. Spectre says what went wrong only in its messages, so
/// they are matched here; <c>CommandLineTests</c> pins every case, so a Spectre upgrade that rewords one fails a test.
/// </summary>
public sealed partial class UsageErrors
{
    private readonly CliEnvironment _cli;
    private readonly IReadOnlyList<string> _args;

    public UsageErrors(CliEnvironment cli, IReadOnlyList<string> args)
    {
        _cli = cli;
        _args = args;
    }

    /// <summary>The usage error <paramref name="exception"/> reports, or null when it is about something else.</summary>
    public UsageError? Describe(Exception exception)
    {
        if (exception is not (CommandAppException or UnexpectedArgumentsException or MissingOptionValueException))
        {
            return null;
        }

        var command = CommandCatalog.Berth.Resolve(_args);

        // An option left without a value comes first: Spectre may have filled it with a placeholder that then failed
        // to convert or validate, with a message about a value nobody typed.
        var dangling = DanglingOption(command);
        var message = exception switch
        {
            _ when dangling is not null => MissingValue(command, dangling),
            MissingOptionValueException => MissingValue(command, null),
            UnexpectedArgumentsException unexpected => ExtraArgument(command, unexpected.Arguments[0]),
            CommandParseException parse => ParseError(command, parse.Message),
            CommandRuntimeException runtime when MissingArgument().Match(runtime.Message) is { Success: true } missing =>
                $"`{command.Display}` needs {missing.Groups["name"].Value}",
            _ => null,
        };
        return message is null ? null : new UsageError(message, command);
    }

    /// <summary>"error: ..." then the command's usage, on stderr.</summary>
    public void Print(UsageError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ErrorPrinter.Print(_cli.Error, error.Message);
        ConsoleText.WriteLine(_cli.Error, string.Empty);
        var usage = new CliEnvironment { Out = _cli.Error, Error = _cli.Error, Variables = _cli.Variables };
        BerthCli.Build(usage, new CliExceptionHandler(usage, new UsageErrors(usage, [])), usageOnly: true).Run([.. error.Command.Path, "--help"]);
    }

    private string ParseError(CatalogCommand command, string message)
    {
        if (UnknownOption().Match(message) is { Success: true } unknown)
        {
            var typed = Spelled(unknown.Groups["name"].Value);
            var hint = typed.StartsWith("--", StringComparison.Ordinal) ? Hint(typed, command.Options.SelectMany(o => o.Names).Where(n => n.StartsWith("--", StringComparison.Ordinal))) : string.Empty;
            return $"unknown option `{typed}` for `{command.Display}`{hint}";
        }

        if (NoValue().Match(message) is { Success: true } noValue)
        {
            return MissingValue(command, Spelled(noValue.Groups["name"].Value));
        }

        if (UnmatchedArgument().Match(message) is { Success: true } unmatched)
        {
            return ExtraArgument(command, unmatched.Groups["value"].Value);
        }

        if (UnknownCommand().Match(message) is { Success: true } unknownCommand)
        {
            return ExtraArgument(command, unknownCommand.Groups["name"].Value);
        }

        if (FlagWithValue().IsMatch(message))
        {
            var given = _args.FirstOrDefault(a => a.StartsWith('-') && a.IndexOfAny(['=', ':']) > 0 && command.Option(a[..a.IndexOfAny(['=', ':'])]) is { TakesValue: false });
            return given is null
                ? $"flags of `{command.Display}` take no value"
                : $"`{given[..given.IndexOfAny(['=', ':'])]}` is a flag and takes no value (got `{given}`)";
        }

        if (OptionBeforeCommand().Match(message) is { Success: true } early)
        {
            return $"unexpected option `{Spelled(early.Groups["name"].Value)}` before the command: options go after it (berth COMMAND [OPTIONS])";
        }

        return $"{message.TrimEnd('.')} in `berth {string.Join(' ', _args)}`";
    }

    private static string MissingValue(CatalogCommand command, string? option) => option is null
        ? $"an option of `{command.Display}` is missing its value"
        : $"option `{option}` needs a value: `{option} {command.Option(option)?.ValueName ?? "VALUE"}`";

    /// <summary>The first option that takes a value but is followed by nothing or by another option (not by <c>-1</c>).</summary>
    private string? DanglingOption(CatalogCommand command)
    {
        for (var i = 0; i < _args.Count; i++)
        {
            if (command.Option(_args[i]) is { TakesValue: true } && (i == _args.Count - 1 || IsOption(_args[i + 1])))
            {
                return _args[i];
            }
        }

        return null;
    }

    /// <summary>What Spectre reads as an option rather than a value: <c>--x</c>, <c>-x</c>; a negative number is a value.</summary>
    private static bool IsOption(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) || (arg.Length > 1 && arg[0] == '-' && !char.IsAsciiDigit(arg[1]));

    /// <summary>A word where no argument or command fits: an extra argument of a verb, an unknown command of a branch.</summary>
    private static string ExtraArgument(CatalogCommand command, string value)
    {
        if (command.IsBranch || command.Path.Count == 0)
        {
            var names = command.Commands.SelectMany(c => c.Aliases.Prepend(c.Path[^1]));
            var where = command.Path.Count == 0 ? string.Empty : $" for `{command.Display}`";
            return $"unknown command `{value}`{where}{Hint(value, names)}";
        }

        var takes = command.Arguments.Count == 0
            ? "takes no arguments"
            : "takes only " + string.Join(' ', command.Arguments.Select(a => a.Display));
        return $"unexpected argument `{value}`: `{command.Display}` {takes}";
    }

    /// <summary>"; did you mean `--to`?" for the nearest candidate by edit distance, else the only one it starts; or nothing.</summary>
    private static string Hint(string typed, IEnumerable<string> candidates)
    {
        var all = candidates.Distinct(StringComparer.Ordinal).ToList();
        var prefixed = all.Where(c => c.StartsWith(typed, StringComparison.Ordinal)).ToList();
        var suggestion = NearestName.Find(typed, all) ?? (prefixed.Count == 1 ? prefixed[0] : null);
        return suggestion is null ? string.Empty : $"; did you mean `{suggestion}`?";
    }

    /// <summary>Spectre names options without dashes; single letters are short options.</summary>
    private static string Spelled(string name) => name.Length == 1 ? "-" + name : "--" + name;

    [GeneratedRegex("^Unknown option '(?<name>.+)'\\.$")]
    private static partial Regex UnknownOption();

    [GeneratedRegex("^Option '(?<name>.+)' is defined but no value has been provided\\.$")]
    private static partial Regex NoValue();

    [GeneratedRegex("^Could not match '(?<value>.*)' with an argument\\.$")]
    private static partial Regex UnmatchedArgument();

    [GeneratedRegex("^Unknown command '(?<name>.+)'\\.$")]
    private static partial Regex UnknownCommand();

    [GeneratedRegex("^Flags cannot be assigned a value\\.$")]
    private static partial Regex FlagWithValue();

    [GeneratedRegex("^Unexpected option '(?<name>.+)'\\.$")]
    private static partial Regex OptionBeforeCommand();

    [GeneratedRegex("is missing required argument '(?<name>.+)'\\.$")]
    private static partial Regex MissingArgument();
}
