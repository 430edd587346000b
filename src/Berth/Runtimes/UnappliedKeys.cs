using Berth.Api;
using Berth.Engine.Replicas;
using Berth.Spec;

namespace Berth.Runtimes;

/// <summary>
/// The one list of compose keys each runtime keeps in the release without acting on them: the deploy warns about the
/// ones a file sets, and docs/compose.md's table is checked against it. Read from what the drivers really do
/// (ReplicaLaunchFactory and Process/ for the process runtime, SwarmServiceSpecBuilder for Swarm).
/// </summary>
public static class UnappliedKeys
{
    private const string Process = "process";
    private const string Swarm = "swarm";
    private const string Yes = "yes";

    // A key the file already replaces with the Berth key made for this runtime is not warned about: the file says what
    // happens instead, and a file meant for both runtimes carries both on purpose.
    private const string Replaced = "no: the file says what runs instead";

    /// <summary>Every key, process runtime first, in the order of the doc's table.</summary>
    public static IReadOnlyList<UnappliedKey> All { get; } =
    [
        new(Process, "`image`", "`x-berth.process.command` runs instead; `berth build` still uses it", Replaced, None),
        new(Process, "`command`, `entrypoint`", "`x-berth.process.command` runs instead", Replaced, None),
        new(Process, "`healthcheck.test` with `x-berth.health.http_path`", "the HTTP probe runs instead, with the healthcheck's timing", Replaced, None),
        new(Process, "`ports[].target`", "each replica listens on its own port, given in `PORT`", "no: it is how the process runtime works", None),
        new(
            Process,
            "`working_dir`",
            "replicas start in `x-berth.process.working_dir`, by default the compose file's folder",
            "unless `x-berth.process.working_dir` is set",
            s => When(s.WorkingDir is not null && s.Berth.Process?.WorkingDir is null, "working_dir")),
        new(Process, "`labels`", "replicas are plain processes: nothing to label", Yes, s => When(s.Labels.Count > 0, "labels")),
        new(Process, "`deploy.labels`", "replicas are plain processes: nothing to label", Yes, s => When(s.Deploy.Labels.Count > 0, "deploy.labels")),
        new(Process, "`deploy.resources`", "replicas are plain processes: no CPU, memory or pids limit", Yes, s => When(s.Deploy.Resources is { Limits: not null } or { Reservations: not null }, "deploy.resources")),
        new(Process, "`deploy.placement`", "one local node: nothing to place", Yes, s => When(IsSet(s.Deploy.Placement), "deploy.placement")),
        new(Process, "`deploy.endpoint_mode: dnsrr`", "the router is the front door of every published port, as with `vip`", Yes, s => When(s.Deploy.EndpointMode == "dnsrr", "deploy.endpoint_mode")),
        new(Process, "`secrets[].uid`, `secrets[].gid`", "secret files belong to the server's user", Yes, SecretOwners),
        new(Process, "`secrets[].mode` group and other bits", "secret files are owner-only", Yes, SecretModes),
        new(Swarm, "`x-berth.process`", "the image runs instead", Replaced, None),
        new(Swarm, "`deploy.placement.preferences`, `deploy.placement.max_replicas_per_node`", "each replica is a Swarm service of its own with one task: nothing to spread or count per node", Yes, SpreadAndMax),
        new(Swarm, "`deploy.mode: global`", "one replica per active node, but not pinned to it: two may share a node", Yes, s => When(s.Deploy.Mode == DeployModes.Global, "deploy.mode")),
    ];

    /// <summary>
    /// A warning for every key <paramref name="runtime"/> does not apply that a service of <paramref name="spec"/> sets,
    /// by the file's key path (<c>services.app.deploy.resources</c>), naming the deployed service (STACK_SERVICE).
    /// </summary>
    public static IReadOnlyList<DeployWarning> WarningsFor(string runtime, string stack, ComposeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Services
            .SelectMany(service => All
                .Where(key => key.Runtime == runtime)
                .SelectMany(key => key.Find(service.Value).Select(path => new DeployWarning($"{stack}_{service.Key}", $"services.{service.Key}.{path}", key.Message))))
            .ToList();
    }

    private static IEnumerable<string> None(ServiceSpec service) => [];

    private static IEnumerable<string> When(bool set, string path) => set ? [path] : [];

    private static bool IsSet(PlacementSpec placement) =>
        placement.Constraints.Count > 0 || placement.Preferences.Count > 0 || placement.MaxReplicasPerNode is not null;

    private static IEnumerable<string> SpreadAndMax(ServiceSpec service) =>
        [.. When(service.Deploy.Placement.Preferences.Count > 0, "deploy.placement.preferences"),
         .. When(service.Deploy.Placement.MaxReplicasPerNode is not null, "deploy.placement.max_replicas_per_node")];

    private static IEnumerable<string> SecretOwners(ServiceSpec service) =>
        service.Secrets.SelectMany((secret, i) => (IEnumerable<string>)
            [.. When(secret.Uid is not null, $"secrets[{i}].uid"), .. When(secret.Gid is not null, $"secrets[{i}].gid")]);

    // Replica secret files keep only the owner's bits of the mode (ReplicaSecretFiles).
    private static IEnumerable<string> SecretModes(ServiceSpec service) =>
        service.Secrets.Select((secret, i) => (secret, i)).Where(s => (s.secret.Mode & 0x3F) is > 0).Select(s => $"secrets[{s.i}].mode");
}
