using System.Collections;
using Berth.Cli.Commands.Server;
using Berth.Cli.Compose;
using Spectre.Console;

namespace Berth.Cli;

/// <summary>What the CLI runs against: its two consoles, environment variables, compose loading and clock (tests substitute them).</summary>
public sealed class CliEnvironment
{
    /// <summary>Standard output: results, tables, --json.</summary>
    public required IAnsiConsole Out { get; init; }

    /// <summary>Standard error: warnings, diagnostics, errors, progress while --json owns stdout.</summary>
    public required IAnsiConsole Error { get; init; }

    /// <summary>Environment variables: BERTH_HOST, BERTH_DEBUG, and compose interpolation.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public IComposeLoading ComposeLoading { get; init; } = new ComposeLoading();

    /// <summary>Standard input (`context create --token-stdin`).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often `deploy` polls replicas while it waits. Default 500 ms.</summary>
    public TimeSpan RolloutPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How `berth server` runs the server: handed over to the server executable, or (in it) run in place; null: it cannot.</summary>
    public IServerLauncher? ServerLauncher { get; init; }

    /// <summary>Check that every command's examples parse before running (the tests do; it costs start-up time).</summary>
    public bool ValidateExamples { get; init; }

    /// <summary>True when BERTH_DEBUG=1: unexpected errors print their stack trace.</summary>
    public bool Debug => Variables.TryGetValue("BERTH_DEBUG", out var value) && value is "1" or "true";

    /// <summary>The real process: stdout, stderr and the process environment; `berth server` hands over to the server executable.</summary>
    public static CliEnvironment FromProcess() => FromProcess(new ServerHandover());

    /// <summary>The real process, with <paramref name="serverLauncher"/> for `berth server`.</summary>
    public static CliEnvironment FromProcess(IServerLauncher serverLauncher) => new()
    {
        Out = Create(Console.Out, Console.IsOutputRedirected),
        Error = Create(Console.Error, Console.IsErrorRedirected),
        Variables = ReadProcessVariables(),
        Input = Console.In,
        ServerLauncher = serverLauncher,
    };

    /// <summary>Width used when output goes to a pipe or file: wide enough that tables are never squeezed (as docker does).</summary>
    private const int RedirectedWidth = 250;

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    private static Dictionary<string, string> ReadProcessVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return variables;
    }
}
