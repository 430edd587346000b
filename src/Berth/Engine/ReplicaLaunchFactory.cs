using Berth.Runtimes;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine;

/// <summary>Turns a release's spec into what the process runtime needs to start one replica of it.</summary>
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
              "; add x-berth.process (the swarm runtime, which runs images, is planned)"
            : null;

    public static ReplicaLaunch Create(ReleaseRecord release, string replicaId, int slot)
    {
        var spec = release.Spec;
        var process = spec.Berth.Process
            ?? throw new InvalidOperationException(CannotRun(spec));
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
        };
    }

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
