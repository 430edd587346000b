using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Services;

/// <summary>`berth service ls`: one row per service (docker service ls).</summary>
public sealed class ServiceListCommand : ApiCommand<ServiceListSettings>
{
    public ServiceListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ServiceListSettings settings, CancellationToken cancellationToken)
    {
        var services = await client.ListServicesAsync(settings.Stack, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, services);
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAME", "MODE", "REPLICAS", "RELEASE", "ARTIFACT", "PORTS", "STATUS" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var s in services.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                new Text(s.Name),
                new Text(s.Mode),
                new Text(Replicas(s)),
                new Text(s.Release.ToString(CultureInfo.InvariantCulture)),
                new Text(s.Artifact),
                new Text(string.Join(", ", s.Ports)),
                new Markup(Status(s)));
        }

        Cli.Out.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>"healthy/desired", the number that says whether the service is whole.</summary>
    public static string Replicas(ServiceInfo service) =>
        string.Create(CultureInfo.InvariantCulture, $"{service.HealthyReplicas}/{service.DesiredReplicas}");

    private static string Status(ServiceInfo service)
    {
        var color = service.Status switch
        {
            "running" => "green",
            "failed" => "red",
            _ => "yellow",
        };
        var text = service.StatusReason is null ? service.Status : $"{service.Status}: {service.StatusReason}";
        return $"[{color}]{Markup.Escape(text)}[/]";
    }
}
