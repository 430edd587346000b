using System.Globalization;
using Berth.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Replicas;

/// <summary>The replica list `ps` and `replica ls` print (its columns are the --format fields), and the filter they share.</summary>
public static class ReplicaTable
{
    public static ListTable<ReplicaInfo> Table { get; } = new(
        new ListColumn<ReplicaInfo>("ID", "ID", r => r.Id),
        new ListColumn<ReplicaInfo>("SERVICE", "Service", r => r.Service),
        new ListColumn<ReplicaInfo>("SLOT", "Slot", r => r.Slot.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<ReplicaInfo>("RELEASE", "Release", r => r.Release.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<ReplicaInfo>("DESIRED", "Desired", r => r.DesiredState),
        new ListColumn<ReplicaInfo>("STATE", "State", r => r.State) { Color = r => StateColor(r.State) },
        new ListColumn<ReplicaInfo>("HEALTH", "Health", r => r.Health) { Color = r => HealthColor(r.Health) },
        new ListColumn<ReplicaInfo>("ENDPOINT", "Endpoint", r => r.Endpoint ?? "-"),
        new ListColumn<ReplicaInfo>("PID", "PID", r => r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-"),
        new ListColumn<ReplicaInfo>("RESTARTS", "Restarts", r => r.Restarts.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<ReplicaInfo>("MESSAGE", "Message", r => r.Message ?? string.Empty));

    /// <summary>Without --all: only replicas the engine still wants running (the server adds the last exited one of an empty slot).</summary>
    public static IReadOnlyList<ReplicaInfo> Filter(IEnumerable<ReplicaInfo> replicas, bool all) =>
        replicas.Where(r => all || r.DesiredState == "running")
            .OrderBy(r => r.Service, StringComparer.Ordinal)
            .ThenBy(r => r.Slot)
            .ThenByDescending(r => r.Release)
            .ToList();

    private static string? StateColor(string state) => state switch
    {
        "running" => "green",
        "exited" => "red",
        "starting" => "yellow",
        _ => null,
    };

    private static string? HealthColor(string health) => health switch
    {
        "healthy" => "green",
        "unhealthy" => "red",
        "starting" => "yellow",
        _ => null,
    };
}
