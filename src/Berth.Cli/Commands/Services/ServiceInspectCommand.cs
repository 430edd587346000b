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
        Cli.Out.Write(grid);
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
        Cli.Out.WriteLine();
        Cli.Out.WriteLine($"Router: front doors {string.Join(", ", route.FrontDoors)}{(route.Preview is null ? "" : $", preview {route.Preview}")}; balancing {route.Balancing}; {split}");
        var table = new Table().AddColumns("POOL", "REPLICA", "ADDRESS", "RELEASE", "REQ/60s", "ERRORS", "P95 ms");
        foreach (var pool in route.Candidate is null ? [route.Stable] : new[] { route.Stable, route.Candidate })
        {
            foreach (var replica in pool.Replicas)
            {
                table.AddRow(
                    pool.Name,
                    replica.Id,
                    replica.Address,
                    replica.Release.ToString(CultureInfo.InvariantCulture),
                    replica.Kpis.Requests.ToString(CultureInfo.InvariantCulture),
                    replica.Kpis.ErrorRate.ToString("P1", CultureInfo.InvariantCulture),
                    replica.Kpis.P95Ms.ToString("F1", CultureInfo.InvariantCulture));
            }
        }

        Cli.Out.Write(table);
    }
}
