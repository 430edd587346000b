using System.Globalization;
using Berth.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Services;

/// <summary>The service list `service ls` prints; its columns are the --format fields.</summary>
public static class ServiceTable
{
    public static ListTable<ServiceInfo> Table { get; } = new(
        new ListColumn<ServiceInfo>("NAME", "Name", s => s.Name),
        new ListColumn<ServiceInfo>("MODE", "Mode", s => s.Mode),
        new ListColumn<ServiceInfo>("REPLICAS", "Replicas", Replicas),
        new ListColumn<ServiceInfo>("RELEASE", "Release", s => s.Release.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<ServiceInfo>("ARTIFACT", "Artifact", s => s.Artifact),
        new ListColumn<ServiceInfo>("PORTS", "Ports", s => string.Join(", ", s.Ports)),
        new ListColumn<ServiceInfo>("STATUS", "Status", Status) { Color = StatusColor });

    /// <summary>"healthy/desired", the number that says whether the service is whole.</summary>
    public static string Replicas(ServiceInfo service) =>
        string.Create(CultureInfo.InvariantCulture, $"{service.HealthyReplicas}/{service.DesiredReplicas}");

    private static string Status(ServiceInfo service) =>
        service.StatusReason is null ? service.Status : $"{service.Status}: {service.StatusReason}";

    private static string StatusColor(ServiceInfo service) => service.Status switch
    {
        "running" => "green",
        "failed" => "red",
        _ => "yellow",
    };
}
