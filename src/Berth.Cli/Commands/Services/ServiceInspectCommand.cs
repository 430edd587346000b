using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Services;

/// <summary>`berth service inspect NAME`: one service in detail.</summary>
public sealed class ServiceInspectCommand : ApiCommand<ServiceInspectSettings>
{
    public ServiceInspectCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ServiceInspectSettings settings, CancellationToken cancellationToken)
    {
        var service = await client.GetServiceAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, service);
            return ExitCodes.Ok;
        }

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string value) => grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
        Row("Name", service.Name);
        Row("Stack", service.Stack);
        Row("Mode", service.Mode);
        Row("Release", service.Release.ToString(CultureInfo.InvariantCulture));
        Row("Artifact", service.Artifact);
        Row("Replicas", string.Create(
            CultureInfo.InvariantCulture,
            $"{service.DesiredReplicas} desired, {service.RunningReplicas} running, {service.HealthyReplicas} healthy"));
        Row("Ports", service.Ports.Count == 0 ? "-" : string.Join(", ", service.Ports));
        Row("Status", service.StatusReason is null ? service.Status : $"{service.Status}: {service.StatusReason}");
        ConsoleText.WriteView(Cli.Out, grid);
        if (service.Route is { } route)
        {
            WriteRoute(route);
        }

        return ExitCodes.Ok;
    }

    private void WriteRoute(Berth.Api.RouteInfo route)
    {
        var split = route.Candidate is null
            ? $"100% → release {route.Stable.Release}"
            : $"{100 - route.CandidateWeight}% → release {route.Stable.Release} (stable), {route.CandidateWeight}% → release {route.Candidate.Release} (candidate)";
        ConsoleText.WriteLine(Cli.Out, string.Empty);
        ConsoleText.WriteLine(Cli.Out, $"Router: front doors {string.Join(", ", route.FrontDoors)}{(route.Preview is null ? "" : $", preview {route.Preview}")}; balancing {route.Balancing}; {split}");
        var pools = route.Candidate is null ? [route.Stable] : new[] { route.Stable, route.Candidate };
        RouteTable.Write(Cli.Out, pools.SelectMany(pool => pool.Replicas.Select(replica => (Pool: pool.Name, Replica: replica))));
    }

    private static ListTable<(string Pool, Berth.Api.RouteReplicaInfo Replica)> RouteTable { get; } = new(
        new("POOL", "Pool", r => r.Pool),
        new("REPLICA", "Replica", r => r.Replica.Id),
        new("ADDRESS", "Address", r => r.Replica.Address),
        new("RELEASE", "Release", r => r.Replica.Release.ToString(CultureInfo.InvariantCulture)),
        new("REQ/60s", "Requests", r => r.Replica.Kpis.Requests.ToString(CultureInfo.InvariantCulture)) { RightAligned = true },
        new("ERRORS", "Errors", r => r.Replica.Kpis.ErrorRate.ToString("P1", CultureInfo.InvariantCulture)) { RightAligned = true },
        new("P95 ms", "P95", r => r.Replica.Kpis.P95Ms.ToString("F1", CultureInfo.InvariantCulture)) { RightAligned = true });
}
