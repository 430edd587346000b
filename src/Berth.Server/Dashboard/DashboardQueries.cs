using Berth.Api;
using Berth.Pipeline;
using Berth.Queries;
using Berth.Routing;
using Berth.Routing.Fleet;
using Berth.Server.Api;
using Berth.Store;

namespace Berth.Server.Dashboard;

/// <summary>The read models only the dashboard needs, built from the same queries the API answers with.</summary>
public sealed class DashboardQueries(
    BerthStore store, ServiceQueries services, RolloutQueries rollouts, PipelineQueries pipelines, ITrafficRouter router, FleetMetrics metrics, TimeProvider time)
{
    /// <summary>The window of the live charts' KPIs: short enough that a chart moves within seconds of a change.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromSeconds(5);

    public async Task<DashboardOverview> GetOverviewAsync(CancellationToken cancellationToken)
    {
        var boards = new List<PipelineOverview>();
        foreach (var stack in await store.ReadAsync(tx => tx.GetStacksWithReleasesAsync(cancellationToken), cancellationToken))
        {
            boards.Add(new PipelineOverview(stack, await pipelines.GetEnvironmentsAsync(stack, cancellationToken)));
        }

        var all = await services.GetServicesAsync(null, cancellationToken);
        var stacks = new List<StackOverview>();
        foreach (var group in all.GroupBy(s => s.Stack).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = new List<ServiceOverview>();
            foreach (var service in group.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                members.Add(new ServiceOverview(service, await ActiveRolloutAsync(service.Name, cancellationToken)));
            }

            stacks.Add(new StackOverview(group.Key, members));
        }

        return new DashboardOverview(boards, stacks, time.GetUtcNow());
    }

    /// <summary>The service now, its route with KPIs over <see cref="LiveWindow"/>, and its latest rollout (null: none yet).</summary>
    public async Task<ServicePulse> GetPulseAsync(string service, CancellationToken cancellationToken)
    {
        var info = await services.GetServiceAsync(service, cancellationToken) with { Route = RouteDescriber.Describe(router, metrics, service, LiveWindow) };
        return new ServicePulse(info, await LatestRolloutAsync(service, cancellationToken), time.GetUtcNow());
    }

    private async Task<RolloutInfo?> ActiveRolloutAsync(string service, CancellationToken cancellationToken) =>
        await LatestRolloutAsync(service, cancellationToken) is { Active: true } rollout ? rollout : null;

    private async Task<RolloutInfo?> LatestRolloutAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            return await rollouts.GetLatestAsync(service, cancellationToken);
        }
        catch (ProblemException e) when (e.Kind == ProblemKind.NotFound)
        {
            return null;
        }
    }
}
