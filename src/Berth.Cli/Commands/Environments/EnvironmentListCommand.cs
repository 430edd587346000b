using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth env ls STACK`: each environment in order, its release, state, since when, and what waits to enter it.</summary>
public sealed class EnvironmentListCommand : ApiCommand<StackArgumentSettings>
{
    public EnvironmentListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, StackArgumentSettings settings, CancellationToken cancellationToken)
    {
        var environments = await client.ListEnvironmentsAsync(settings.Stack, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, environments);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, environments);
        foreach (var waiting in environments.Where(e => e.PendingRelease is not null))
        {
            ConsoleText.WriteLine(Cli.Out, string.Create(CultureInfo.InvariantCulture,
                $"Release {waiting.PendingRelease} waits for approval to enter {waiting.Environment}: berth approve {settings.Stack} {waiting.PendingRelease} --env {waiting.Environment}"));
        }

        return ExitCodes.Ok;
    }

    private static ListTable<EnvironmentInfo> Table { get; } = new(
        new ListColumn<EnvironmentInfo>("ENVIRONMENT", "Environment", e => e.Environment),
        new ListColumn<EnvironmentInfo>("RELEASE", "Release", e => e.Release?.ToString(CultureInfo.InvariantCulture) ?? "-"),
        new ListColumn<EnvironmentInfo>("STATE", "State", e => e.State) { Color = e => StateColor(e.State) },
        new ListColumn<EnvironmentInfo>("SINCE", "Since", e => e.Since is { } since ? EventTime.Format(since) : "-"),
        new ListColumn<EnvironmentInfo>("PENDING", "PendingRelease", e => e.PendingRelease?.ToString(CultureInfo.InvariantCulture) ?? "-"),
        new ListColumn<EnvironmentInfo>("ENTRY", "Entry", e => e.Entry),
        new ListColumn<EnvironmentInfo>("STACK", "Stack", e => e.Stack),
        new ListColumn<EnvironmentInfo>("REASON", "Reason", e => e.Reason ?? "-") { Wrap = true });

    internal static string? StateColor(string state) => state switch
    {
        "succeeded" => "green",
        "failed" or "rejected" => "red",
        "waiting_approval" or "deploying" or "verifying" or "queued" => "yellow",
        _ => null,
    };
}
