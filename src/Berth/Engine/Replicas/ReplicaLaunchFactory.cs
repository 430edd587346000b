using Berth.Runtimes;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Replicas;

/// <summary>Turns a release's spec into what a runtime (process or swarm) needs to start one replica of it.</summary>
public static class ReplicaLaunchFactory
{
    /// <summary>Default probe timing when only x-berth.health.http_path is given (compose's 30s interval is too slow for a local runtime).</summary>
    private static readonly HealthcheckSpec LocalProbeDefaults = new()
    {
        Interval = TimeSpan.FromSeconds(2),
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 3,
        StartInterval = TimeSpan.FromMilliseconds(250),
    };

    /// <summary>Why this runtime cannot run the spec, or null when it can.</summary>
    public static string? CannotRun(ServiceSpec spec) =>
        spec.Berth.Process is null
            ? $"the process runtime needs x-berth.process.command for service {spec.Name}" +
              (spec.Image is null ? "" : $" (it cannot run the image {spec.Image})") +
              "; add x-berth.process, or run images with `berth server --runtime swarm`"
            : null;

    /// <summary>Why <paramref name="runtime"/> ("process" or "swarm") cannot run the spec, or null when it can.</summary>
    public static string? CannotRun(ServiceSpec spec, string runtime) =>
        spec.Berth.Runtime is { } wanted && wanted != runtime
            ? $"x-berth.runtime is {wanted}, but this server runs the {runtime} runtime" +
              $" (start it with `berth server --runtime {wanted}`, or remove x-berth.runtime to run on any)"
            : runtime == "swarm"
            ? spec.Image is null
                ? $"the swarm runtime runs images: service {spec.Name} has no image:" +
                  (spec.Build is null ? "" : " (build it first with `berth build` and name it with image:)") +
                  " (x-berth.process is for --runtime process)"
                : null
            : CannotRun(spec);

    /// <summary>
    /// The launch of one replica of <paramref name="release"/>, with the contents of the secrets it grants loaded from
    /// the store (kept there since the deploy that made the release, so they survive a server restart).
    /// </summary>
    public static async Task<ReplicaLaunch> CreateAsync(BerthStore store, ReleaseRecord release, string replicaId, int slot, string? stack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(release);
        stack ??= StackOf(release.Service, release.Spec);
        var contents = release.Secrets.Any(s => !s.IsExternal)
            ? await store.ReadAsync(tx => tx.GetSecretContentsAsync(stack, release.Secrets, cancellationToken), cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, byte[]>();
        return Create(release, replicaId, slot, stack, contents);
    }

    public static ReplicaLaunch Create(ReleaseRecord release, string replicaId, int slot, string? stack = null, IReadOnlyDictionary<string, byte[]>? secretContents = null)
    {
        var spec = release.Spec;
        if (spec.Berth.Process is null && spec.Image is null)
        {
            throw new InvalidOperationException(CannotRun(spec));
        }

        var process = spec.Berth.Process ?? new ProcessSpec { Command = [] };
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.Environment)
        {
            if (value is not null)
            {
                environment[key] = value;
            }
        }

        foreach (var (key, value) in process.Environment)
        {
            environment[key] = value;
        }

        return new ReplicaLaunch
        {
            ReplicaId = replicaId,
            Service = release.Service,
            Release = release.Number,
            Slot = slot,
            Command = process.Command,
            WorkingDir = process.WorkingDir,
            Environment = environment,
            Health = ProbeOf(spec),
            StopGracePeriod = spec.StopGracePeriod,
            Stack = stack ?? StackOf(release.Service, spec),
            Spec = spec,
            SecretContents = secretContents ?? new Dictionary<string, byte[]>(),
            ExternalSecrets = release.Secrets
                .Where(s => s.ExternalName is not null)
                .ToDictionary(s => s.Source, s => s.ExternalName!, StringComparer.Ordinal),
        };
    }

    /// <summary>The stack of a service named {stack}_{service} (as the deployer names them); the whole name when it has no '_'.</summary>
    private static string StackOf(string service, ServiceSpec spec)
    {
        var underscore = service.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 ? service[..underscore] : spec.Name;
    }

    /// <summary>
    /// How long the service's health probe lets a new replica start before it can be declared unhealthy:
    /// start_period + retries × (interval + timeout); zero without a probe (a running replica is ready).
    /// </summary>
    public static TimeSpan StartGrace(ServiceSpec spec) =>
        ProbeOf(spec) is { IsNone: false } probe ? probe.StartPeriod + (probe.Interval + probe.Timeout) * probe.Retries : TimeSpan.Zero;

    private static HealthProbe ProbeOf(ServiceSpec spec)
    {
        var check = spec.Healthcheck;
        if (check is { Disabled: true })
        {
            return HealthProbe.None;
        }

        var timing = check ?? LocalProbeDefaults;
        if (spec.Berth.Health.HttpPath is { } path)
        {
            return Timed(new HealthProbe { HttpPath = path }, timing);
        }

        if (check is null || check.Test.Count == 0)
        {
            return HealthProbe.None;
        }

        IReadOnlyList<string>? command = check.Test[0] switch
        {
            "CMD" => check.Test.Skip(1).ToList(),
            "CMD-SHELL" => ["/bin/sh", "-c", string.Join(' ', check.Test.Skip(1))],
            _ => null,
        };
        return command is null || command.Count == 0 ? HealthProbe.None : Timed(new HealthProbe { Command = command }, timing);
    }

    private static HealthProbe Timed(HealthProbe probe, HealthcheckSpec timing) => probe with
    {
        Interval = timing.Interval,
        Timeout = timing.Timeout,
        Retries = timing.Retries,
        StartPeriod = timing.StartPeriod,
        StartInterval = timing.StartInterval,
    };
}
