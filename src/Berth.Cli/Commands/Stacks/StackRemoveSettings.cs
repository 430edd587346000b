using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Stacks;

/// <summary>`berth rm [-d|--detach] [--timeout T] STACK` / `berth stack rm ...`.</summary>
public sealed class StackRemoveSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack to remove with all its services and replicas.")]
    public string Stack { get; init; } = string.Empty;

    [CommandOption("-d|--detach")]
    [Description("Return once the server accepted the removal, without waiting for the replicas to stop.")]
    public bool Detach { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description("How long to wait for the replicas to stop: seconds, or with a unit (90s, 5m). Default 2m.")]
    [DefaultValue("2m")]
    public string Timeout { get; init; } = "2m";

    /// <summary>The parsed --timeout.</summary>
    public TimeSpan TimeoutSpan => Duration.TryParse(Timeout, out var value) ? value : TimeSpan.FromMinutes(2);

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (NameArguments.StackProblem("STACK", Stack) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (!Duration.TryParse(Timeout, out var timeout) || timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout: '{Timeout}' is not a positive duration such as 120, 90s or 2m.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(Environment.NewLine, problems)) : base.Validate();
    }
}
