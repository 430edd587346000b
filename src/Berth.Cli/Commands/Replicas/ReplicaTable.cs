using System.Globalization;
using Berth.Api;
using Spectre.Console;

namespace Berth.Cli.Commands.Replicas;

/// <summary>The replica table `ps` and `replica ls` print, and the filter they share.</summary>
public static class ReplicaTable
{
    /// <summary>Without --all: only replicas the engine still wants running (the server adds the last exited one of an empty slot).</summary>
    public static IReadOnlyList<ReplicaInfo> Filter(IEnumerable<ReplicaInfo> replicas, bool all) =>
        replicas.Where(r => all || r.DesiredState == "running")
            .OrderBy(r => r.Service, StringComparer.Ordinal)
            .ThenBy(r => r.Slot)
            .ThenByDescending(r => r.Release)
            .ToList();

    public static Table Build(IEnumerable<ReplicaInfo> replicas)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "ID", "SERVICE", "SLOT", "RELEASE", "DESIRED", "STATE", "HEALTH", "ENDPOINT", "PID", "RESTARTS", "MESSAGE" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var r in replicas)
        {
            table.AddRow(
                Cell(r.Id),
                Cell(r.Service),
                Cell(r.Slot.ToString(CultureInfo.InvariantCulture)),
                Cell(r.Release.ToString(CultureInfo.InvariantCulture)),
                Cell(r.DesiredState),
                new Markup($"[{StateColor(r.State)}]{Markup.Escape(r.State)}[/]"),
                new Markup($"[{HealthColor(r.Health)}]{Markup.Escape(r.Health)}[/]"),
                Cell(r.Endpoint ?? "-"),
                Cell(r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                Cell(r.Restarts.ToString(CultureInfo.InvariantCulture)),
                Cell(r.Message ?? string.Empty));
        }

        return table;
    }

    private static Text Cell(string text) => new(text);

    private static string StateColor(string state) => state switch
    {
        "running" => "green",
        "exited" => "red",
        "starting" => "yellow",
        _ => "default",
    };

    private static string HealthColor(string health) => health switch
    {
        "healthy" => "green",
        "unhealthy" => "red",
        "starting" => "yellow",
        _ => "default",
    };
}
