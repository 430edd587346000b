using Berth.Api;
using Berth.Spec;

namespace Berth.Pipeline;

/// <summary>
/// The targets environments may name: defined on the server, never by the app's file, so a deployer cannot point Berth
/// at an engine of their choosing. Today there is one, <c>local</c>: this server's own runtime (process or swarm).
/// </summary>
public sealed class DeployTargets(Runtimes.IRuntimeDriver driver)
{
    public IReadOnlyList<TargetInfo> All { get; } =
    [
        new(TargetNames.Local, driver.Name, $"this server's {driver.Name} runtime"),
    ];

    public TargetInfo? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
