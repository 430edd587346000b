using System.Globalization;
using Berth.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>What `rollout status` shows of a blue/green or canary rollout: step, phase, weight, analysis and both releases' KPIs.</summary>
public static class StrategyStatusView
{
    /// <summary>"2/5: weight 20", "-" for blue/green.</summary>
    public static string Step(RolloutProgressInfo progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Steps == 0)
        {
            return "-";
        }

        var step = string.Create(CultureInfo.InvariantCulture, $"{progress.Step}/{progress.Steps}");
        return progress.StepDescription is { } description ? $"{step}: {description}" : step;
    }

    /// <summary>"3 measurements, 0 failed, 1 inconclusive".</summary>
    public static string Tally(AnalysisTallyInfo? tally) =>
        tally is null || tally.Measurements == 0
            ? "none yet"
            : string.Create(CultureInfo.InvariantCulture, $"{tally.Measurements} measurements, {tally.Failed} failed, {tally.Inconclusive} inconclusive");

    /// <summary>Adds the strategy rows to a `rollout status` grid.</summary>
    public static void AddRows(Grid grid, RolloutInfo rollout)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(rollout);
        void Row(string name, string value) => grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
        Row("Strategy", rollout.Strategy);
        if (rollout.Progress is not { } progress)
        {
            return;
        }

        Row("Step", Step(progress));
        Row("Phase", progress.Phase);
        Row("Weight", string.Create(CultureInfo.InvariantCulture, $"{progress.Weight}% to release {rollout.ToRelease}"));
        Row(rollout.Strategy == Berth.Spec.StrategySpec.BlueGreenKind ? "Green" : "Canary", string.Create(CultureInfo.InvariantCulture, $"{progress.CandidateReady}/{progress.CandidateReplicas} replicas ready"));
        Row("Step analysis", Tally(progress.StepAnalysis));
        Row("Background analysis", Tally(progress.BackgroundAnalysis));
        if (progress.ScaleDownAt is { } scaleDown)
        {
            Row("Old release stops", Output.EventTime.Format(scaleDown));
        }
    }

    /// <summary>Both releases' live KPIs, or null when the server sent none.</summary>
    public static Table? Kpis(RolloutInfo rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Progress is not { } progress || (progress.Stable is null && progress.Candidate is null))
        {
            return null;
        }

        var window = (progress.Candidate ?? progress.Stable)!.WindowSeconds;
        var table = new Table()
            .Title(string.Create(CultureInfo.InvariantCulture, $"last {window:0.#}s"))
            .AddColumn("Release")
            .AddColumn(new TableColumn("Req/s").RightAligned())
            .AddColumn(new TableColumn("Errors").RightAligned())
            .AddColumn(new TableColumn("p95").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned());
        void Add(string label, KpiInfo? kpis)
        {
            if (kpis is null)
            {
                return;
            }

            var perSecond = kpis.WindowSeconds > 0 ? kpis.Requests / kpis.WindowSeconds : 0;
            table.AddRow(
                Markup.Escape(label),
                perSecond.ToString("0.#", CultureInfo.InvariantCulture),
                (kpis.ErrorRate * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%",
                kpis.P95Ms.ToString("0.#", CultureInfo.InvariantCulture) + "ms",
                kpis.P99Ms.ToString("0.#", CultureInfo.InvariantCulture) + "ms");
        }

        Add(rollout.FromRelease is { } from ? string.Create(CultureInfo.InvariantCulture, $"{from} (stable)") : "stable", progress.Stable);
        Add(string.Create(CultureInfo.InvariantCulture, $"{rollout.ToRelease} ({(rollout.Strategy == Berth.Spec.StrategySpec.BlueGreenKind ? "green" : "canary")})"), progress.Candidate);
        return table;
    }

    /// <summary>The whole status view: grid, then the KPI table when there is one.</summary>
    public static IRenderable Render(Grid grid, RolloutInfo rollout) =>
        Kpis(rollout) is { } table ? new Rows(grid, table) : grid;
}
