using Berth.Spec;

namespace Berth.Pipeline;

/// <summary>
/// What a stack is in one environment: the file's services with that environment's overrides applied — replicas,
/// variables (and <c>BERTH_ENVIRONMENT</c>), published and preview ports moved by the port offset, and the strategy
/// replaced when it says <c>rolling</c>, and the target that runs it. Pure: the same spec and environment give the same result.
/// </summary>
public static class EnvironmentOverlay
{
    /// <summary>The variable every replica of an environment gets, holding its name (also usable in interpolation).</summary>
    public const string Variable = "BERTH_ENVIRONMENT";

    public static ComposeSpec Apply(ComposeSpec spec, EnvironmentSpec environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(environment);
        var services = spec.Services.ToDictionary(
            s => s.Key,
            s => Service(s.Value, environment, environment.Services.GetValueOrDefault(s.Key)),
            StringComparer.Ordinal);
        return spec with { Services = services };
    }

    /// <summary>The environment named <paramref name="name"/> in the spec, or null.</summary>
    public static EnvironmentSpec? Find(ComposeSpec spec, string name) =>
        spec.Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    private static ServiceSpec Service(ServiceSpec service, EnvironmentSpec environment, EnvironmentServiceSpec? own)
    {
        var variables = new Dictionary<string, string?>(service.Environment, StringComparer.Ordinal);
        foreach (var (key, value) in environment.Environment.Concat(own?.Environment ?? new Dictionary<string, string>()))
        {
            variables[key] = value;
        }

        variables[Variable] = environment.Name;
        var replicas = own?.Replicas ?? environment.Replicas;
        var strategy = environment.Strategy == StrategySpec.RollingKind ? new StrategySpec() : Shift(service.Berth.Strategy, environment.PortOffset);
        return service with
        {
            Environment = variables,
            Ports = service.Ports.Select(p => p.Published is { } published ? p with { Published = published + environment.PortOffset } : p).ToList(),
            Deploy = replicas is { } count && service.Deploy.Mode != DeployModes.Global ? service.Deploy with { Replicas = count } : service.Deploy,
            Berth = service.Berth with { Strategy = strategy },
            Target = environment.Target == TargetNames.Local ? null : environment.Target,
        };
    }

    private static StrategySpec Shift(StrategySpec strategy, int offset) => offset == 0 ? strategy : strategy with
    {
        BlueGreen = strategy.BlueGreen is { PreviewPort: { } preview } blueGreen ? blueGreen with { PreviewPort = preview + offset } : strategy.BlueGreen,
        Canary = strategy.Canary is { PreviewPort: { } canaryPreview } canary ? canary with { PreviewPort = canaryPreview + offset } : strategy.Canary,
    };
}
