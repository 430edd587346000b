using System.Globalization;
using Berth.Spec;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// Maps one Berth replica (its release's compose spec) to the Swarm service that runs it: <c>replicas: 1</c>, the image,
/// environment, healthcheck, resources, placement, restart policy, stop grace, labels, the stack's overlay network, secrets,
/// and every target port published in host mode on a dynamic port. See docs/concepts/swarm-runtime.md for the table.
/// </summary>
public static class SwarmServiceSpecBuilder
{
    public static Models.ServiceSpec Build(ReplicaLaunch launch, string network, IReadOnlyList<Models.SecretReference> secrets)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var spec = launch.Spec ?? throw new ArgumentException($"replica {launch.ReplicaId} has no spec to map to a Swarm service", nameof(launch));
        var image = spec.PinnedImage ?? spec.Image ?? throw new ArgumentException($"service {launch.Service} has no image", nameof(launch));
        var ports = spec.Ports.DistinctBy(p => (p.Target, p.Protocol)).ToList();
        var variables = ReplicaVariables.For(launch, ports.Count > 0 ? ports[0].Target : null);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.Environment)
        {
            if (value is not null)
            {
                environment[key] = value;
            }
        }

        var labels = LabelsOf(launch);
        return new Models.ServiceSpec
        {
            Name = SwarmNames.ServiceOf(launch),
            Labels = Merge(spec.Deploy.Labels, labels),
            Mode = new Models.ServiceMode { Replicated = new Models.ReplicatedService { Replicas = 1 } },
            TaskTemplate = new Models.TaskSpec
            {
                ContainerSpec = new Models.ContainerSpec
                {
                    Image = image,
                    Labels = Merge(spec.Labels, labels),
                    Command = spec.Entrypoint?.Select(variables.Substitute).ToList(),
                    Args = spec.Command?.Select(variables.Substitute).ToList(),
                    Env = EnvironmentOf(environment, variables),
                    Dir = spec.WorkingDir,
                    Healthcheck = HealthcheckOf(spec.Healthcheck),
                    StopGracePeriod = spec.StopGracePeriod,
                    Secrets = secrets.ToList(),
                },
                Resources = ResourcesOf(spec.Deploy.Resources),
                RestartPolicy = RestartPolicyOf(spec.Deploy.RestartPolicy),
                Placement = PlacementOf(spec.Deploy.Placement),
                Networks = [new Models.NetworkAttachmentConfig { Target = network, Aliases = [AliasOf(launch)] }],
            },
            EndpointSpec = new Models.EndpointSpec
            {
                Mode = spec.Deploy.EndpointMode,
                Ports = ports.Select(p => new Models.PortConfig
                {
                    Protocol = p.Protocol,
                    TargetPort = (uint)p.Target,

                    // Host mode, no published port: Swarm picks a free one per task; the router reads it from the task status.
                    PublishMode = "host",
                }).ToList(),
            },
        };
    }

    /// <summary>The labels every Swarm object of a replica carries.</summary>
    public static Dictionary<string, string> LabelsOf(ReplicaLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SwarmLabels.Service] = launch.Service,
            [SwarmLabels.Release] = launch.Release.ToString(CultureInfo.InvariantCulture),
            [SwarmLabels.Slot] = launch.Slot.ToString(CultureInfo.InvariantCulture),
            [SwarmLabels.Replica] = launch.ReplicaId,
        };
        if (launch.Stack is { } stack)
        {
            labels[SwarmLabels.Stack] = stack;
        }

        return labels;
    }

    /// <summary>
    /// The compose environment (with ${PORT} and ${BERTH_*} substituted) plus BERTH_*; not PORT itself: an app that
    /// honours PORT (as on the process runtime) would listen where the image's published target port is not.
    /// </summary>
    private static List<string> EnvironmentOf(Dictionary<string, string> environment, ReplicaVariables variables) =>
        variables.Environment(environment)
            .Where(e => e.Key != "PORT" || environment.ContainsKey("PORT"))
            .Select(e => $"{e.Key}={e.Value}")
            .OrderBy(e => e, StringComparer.Ordinal)
            .ToList();

    private static string AliasOf(ReplicaLaunch launch) =>
        launch.Stack is { } stack && launch.Service.StartsWith(stack + "_", StringComparison.Ordinal)
            ? launch.Service[(stack.Length + 1)..]
            : launch.Service;

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> user, Dictionary<string, string> berth)
    {
        var merged = new Dictionary<string, string>(user, StringComparer.Ordinal);
        foreach (var (key, value) in berth)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static Models.HealthcheckConfig? HealthcheckOf(HealthcheckSpec? check) => check switch
    {
        null => null,
        { Disabled: true } => new Models.HealthcheckConfig { Test = ["NONE"] },
        { Test.Count: 0 } => null,
        _ => new Models.HealthcheckConfig
        {
            Test = check.Test.ToList(),
            Interval = check.Interval,
            Timeout = check.Timeout,
            Retries = check.Retries,
            StartPeriod = check.StartPeriod,
            StartInterval = check.StartInterval,
        },
    };

    private static Models.ResourceRequirements ResourcesOf(ResourcesSpec resources) => new()
    {
        Limits = resources.Limits is { } limits
            ? new Models.SwarmLimit { NanoCPUs = NanoCpus(limits.Cpus), MemoryBytes = limits.MemoryBytes, Pids = limits.Pids }
            : null,
        Reservations = resources.Reservations is { } reserved
            ? new Models.SwarmResources { NanoCPUs = NanoCpus(reserved.Cpus), MemoryBytes = reserved.MemoryBytes }
            : null,
    };

    private static long? NanoCpus(double? cpus) => cpus is { } c ? (long)Math.Round(c * 1e9) : null;

    private static Models.SwarmRestartPolicy RestartPolicyOf(RestartPolicySpec policy) => new()
    {
        Condition = policy.Condition,
        Delay = policy.Delay,
        MaxAttempts = policy.MaxAttempts is { } attempts ? (ulong)attempts : null,
        Window = policy.Window,
    };

    private static Models.Placement PlacementOf(PlacementSpec placement) => new()
    {
        Constraints = placement.Constraints.ToList(),
        Preferences = placement.Preferences
            .Select(p => new Models.PlacementPreference
            {
                Spread = new Models.SpreadOver { SpreadDescriptor = p.StartsWith("spread=", StringComparison.Ordinal) ? p["spread=".Length..] : p },
            })
            .ToList(),
        MaxReplicas = placement.MaxReplicasPerNode is { } max ? (ulong)max : null,
    };
}
