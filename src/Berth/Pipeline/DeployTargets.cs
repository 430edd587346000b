using Berth.Api;
using Berth.Spec;
using Berth.Targets;

namespace Berth.Pipeline;

/// <summary>
/// The targets environments may name: defined on the server, never by the app's file, so a deployer cannot point Berth
/// at an engine of their choosing. <c>local</c> is this server's own runtime (process or swarm); an admin adds Docker
/// Swarm managers elsewhere (<c>berth target add NAME --docker-host URL</c>) or processes beside a Swarm server
/// (<c>--process</c>).
/// </summary>
public sealed class DeployTargets(Runtimes.IRuntimeDriver driver, TargetRegistry? docker = null)
{
    public IReadOnlyList<TargetInfo> All =>
    [
        new(TargetNames.Local, driver.Name, $"this server's {driver.Name} runtime"),
        .. (docker?.All ?? []).Select(t => new TargetInfo(
            t.Name,
            t.Kind,
            $"{TargetRegistry.Describe(t)}, added {t.CreatedAt:yyyy-MM-dd}{(t.CreatedBy is null ? "" : " by " + t.CreatedBy)}",
            t.Endpoint,
            t.Tls is not null)),
    ];

    public TargetInfo? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
