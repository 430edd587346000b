using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Routers;

/// <summary>`berth router ls`: every router of the control plane, its node, version, the route version it applied and its state.</summary>
public sealed class RouterListCommand : ApiCommand<RouterListSettings>
{
    public RouterListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RouterListSettings settings, CancellationToken cancellationToken)
    {
        var routers = await client.ListRoutersAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, routers);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, routers);
        return ExitCodes.Ok;
    }

    private static ListTable<RouterInfo> Table { get; } = new(
        new ListColumn<RouterInfo>("ID", "ID", r => r.Id),
        new ListColumn<RouterInfo>("NODE", "Node", r => r.Node),
        new ListColumn<RouterInfo>("PID", "Pid", r => r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-"),
        new ListColumn<RouterInfo>("VERSION", "Version", r => (r.Version ?? "-") + (r.Outdated ? " (outdated)" : "")),
        new ListColumn<RouterInfo>("ROUTES", "RouteVersion", r => r.RouteVersion.ToString(CultureInfo.InvariantCulture) + (r.Behind ? " (behind)" : "")),
        new ListColumn<RouterInfo>("SERVICES", "Services", r => r.Services.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<RouterInfo>("STATE", "State", r => r.State) { Color = r => r.State == "live" ? "green" : "yellow" },
        new ListColumn<RouterInfo>("LAST HEARD", "LastHeard", r => r.LastHeard is { } heard ? EventTime.Format(heard) : "-"),
        new ListColumn<RouterInfo>("ERRORS", "Errors", r => string.Join("; ", r.Errors.Select(e => $"{e.Key}: {e.Value}"))) { Wrap = true });
}
