using Berth.Engine;
using Berth.Routing.Fleet;
using Berth.Store;
using Microsoft.Extensions.Hosting;

namespace Berth.Server.Routers;

/// <summary>
/// After a start, routers keep every route they had until the control plane knows all it wants (each stored
/// service had its first pass): only then may they drop the services it does not list.
/// </summary>
public sealed class FleetReadiness : BackgroundService
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly EngineWorker _engine;
    private readonly BerthStore _store;
    private readonly RouterFleet _fleet;
    private readonly TimeProvider _time;

    public FleetReadiness(EngineWorker engine, BerthStore store, RouterFleet fleet, TimeProvider time)
    {
        _engine = engine;
        _store = store;
        _fleet = fleet;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _engine.Ready.WaitAsync(stoppingToken);
        var start = _time.GetUtcNow();
        while (_time.GetUtcNow() - start < Patience)
        {
            var services = await _store.GetServicesAsync(stoppingToken);
            if (services.All(s => s.Removing || _fleet.Wants(s.Name)))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, stoppingToken);
        }

        _fleet.MarkAuthoritative();
    }
}
