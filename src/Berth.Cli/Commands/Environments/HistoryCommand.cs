using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth history STACK [--env E]`: every passage of a release through an environment: who, what, when, result.</summary>
public sealed class HistoryCommand : ApiCommand<HistorySettings>
{
    public HistoryCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, HistorySettings settings, CancellationToken cancellationToken)
    {
        var history = await client.GetHistoryAsync(settings.Stack, settings.Environment, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, history);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, history);
        return ExitCodes.Ok;
    }

    private static ListTable<EnvironmentDeploymentInfo> Table { get; } = new(
        new ListColumn<EnvironmentDeploymentInfo>("WHEN", "CreatedAt", h => EventTime.Format(h.CreatedAt)),
        new ListColumn<EnvironmentDeploymentInfo>("ENVIRONMENT", "Environment", h => h.Environment),
        new ListColumn<EnvironmentDeploymentInfo>("RELEASE", "Release", h => h.Release.ToString(CultureInfo.InvariantCulture) + (h.Version is { } v ? $" ({v})" : "")),
        new ListColumn<EnvironmentDeploymentInfo>("KIND", "Kind", h => h.Kind),
        new ListColumn<EnvironmentDeploymentInfo>("STATE", "State", h => h.State) { Color = h => EnvironmentListCommand.StateColor(h.State) },
        new ListColumn<EnvironmentDeploymentInfo>("BY", "Actor", h => h.Actor ?? "-"),
        new ListColumn<EnvironmentDeploymentInfo>("DETAIL", "Reason", Detail) { Wrap = true });

    /// <summary>"healthy ✓ smoke ✗ — gate smoke: … — “QA ok”".</summary>
    private static string Detail(EnvironmentDeploymentInfo h)
    {
        var parts = new List<string>();
        if (h.Gates.Count > 0)
        {
            parts.Add(string.Join(' ', h.Gates.Select(g => $"{g.Gate} {(g.Passed ? "✓" : "✗")}")));
        }

        if (!string.IsNullOrWhiteSpace(h.Reason))
        {
            parts.Add(h.Reason);
        }

        if (!string.IsNullOrWhiteSpace(h.Comment))
        {
            parts.Add($"\"{h.Comment}\"");
        }

        return parts.Count == 0 ? "-" : string.Join(" — ", parts);
    }
}
