using System.ComponentModel;
using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth diff STACK --env A --env B`: what differs between the releases two environments run.</summary>
public sealed class DiffCommand : ApiCommand<DiffSettings>
{
    public DiffCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, DiffSettings settings, CancellationToken cancellationToken)
    {
        var diff = await client.DiffEnvironmentsAsync(settings.Stack, settings.Environments[0], settings.Environments[1], cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, diff);
            return ExitCodes.Ok;
        }

        static string Release(int? number) => number?.ToString(CultureInfo.InvariantCulture) ?? "none";
        ConsoleText.WriteLine(Cli.Out, $"{diff.From}: release {Release(diff.FromRelease)}   {diff.To}: release {Release(diff.ToRelease)}");
        if (diff.Differences.Count == 0)
        {
            ConsoleText.WriteLine(Cli.Out, "No other difference.");
            return ExitCodes.Ok;
        }

        Table(diff).Write(Cli.Out, diff.Differences);
        return ExitCodes.Ok;
    }

    private static ListTable<DiffLine> Table(EnvironmentDiffInfo diff) => new(
        new ListColumn<DiffLine>("SERVICE", "Service", d => d.Service),
        new ListColumn<DiffLine>("KEY", "Key", d => d.Key),
        new ListColumn<DiffLine>(diff.From.ToUpperInvariant(), "From", d => d.From ?? "(none)") { Wrap = true },
        new ListColumn<DiffLine>(diff.To.ToUpperInvariant(), "To", d => d.To ?? "(none)") { Wrap = true });
}

/// <summary>`berth diff STACK --env A --env B [--json]`.</summary>
public sealed class DiffSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack name.")]
    public string Stack { get; init; } = string.Empty;

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("An environment to compare; give exactly two, e.g. --env staging --env prod.")]
    public string[] Environments { get; init; } = [];

    [CommandOption("--json")]
    [Description("Print the EnvironmentDiffInfo as JSON.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (NameArguments.StackProblem("STACK", Stack) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (Environments.Length != 2)
        {
            problems.Add($"give exactly two environments, e.g. --env staging --env prod (got {Environments.Length}).");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(System.Environment.NewLine, problems)) : base.Validate();
    }
}
