using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Scale;

/// <summary>`berth scale SERVICE=N [SERVICE=N ...] [--env ENV]`: every argument is checked before anything is sent.</summary>
public sealed class ScaleSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE=REPLICAS>")]
    [Description("Target replica count per service, e.g. articles_app=5.")]
    public string[] Targets { get; init; } = [];

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("Scale the services in this environment of their stack (x-berth.environments): articles_app=3 with --env prod scales articles-prod_app.")]
    public string? Environment { get; init; }

    /// <summary>The parsed targets, by service as the server knows it (STACK-ENV_SERVICE with --env); Validate has refused bad syntax and repeats.</summary>
    public IReadOnlyDictionary<string, int> Replicas =>
        Targets.Select(Parse).ToDictionary(
            a => Environment is null ? a.Service : Berth.Pipeline.EnvironmentStacks.Service(a.Service, Environment),
            a => a.Replicas,
            StringComparer.Ordinal);

    public override ValidationResult Validate()
    {
        if (Targets.Length == 0)
        {
            return ValidationResult.Error("Give at least one SERVICE=REPLICAS.");
        }

        var problems = new List<string>();
        if (Berth.Pipeline.EnvironmentStacks.OptionProblem("--env", Environment) is { } environment)
        {
            problems.Add(environment);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in Targets)
        {
            if (!ScaleAssignment.TryParse(target, out var assignment, out var problem))
            {
                problems.Add(problem!);
            }
            else if (!seen.Add(assignment!.Service))
            {
                problems.Add($"'{assignment.Service}' is given more than once.");
            }
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(System.Environment.NewLine, problems)) : base.Validate();
    }

    private static ScaleAssignment Parse(string text) =>
        ScaleAssignment.TryParse(text, out var assignment, out var problem) ? assignment! : throw new CliInputException(problem!);
}
