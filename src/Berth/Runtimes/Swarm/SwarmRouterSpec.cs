using System.Security.Cryptography;
using System.Text;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>What the global router service runs: its image, where the control plane is, and the secrets it follows it with.</summary>
/// <param name="Image">The router image (scripts/router-image.sh makes <c>berth-router:10</c>).</param>
/// <param name="ControlPlane">The server's API as every node reaches it.</param>
/// <param name="TokenSecret">The Swarm secret holding the routers' token (role router).</param>
/// <param name="CaSecret">The Swarm secret holding the certificate the routers pin the API's TLS to; null: plain HTTP (loopback).</param>
/// <param name="Owner">The server's data folder id (<see cref="SwarmLabels.Owner"/>).</param>
public sealed record SwarmRouterSettings(string Image, Uri ControlPlane, Models.Secret TokenSecret, Models.Secret? CaSecret, string? Owner);

/// <summary>
/// The Swarm service of the routers: one task per node (mode global), on the host network, so a front door a new
/// route opens listens on the node's own addresses with no service update, as Swarm's ingress answers on every node.
/// Each task runs `berth router run`, named after its node (<c>{{.Node.Hostname}}</c>), following the control plane with
/// the token in a Swarm secret, its last routes in a volume of the node (served at its next start before the control
/// plane answers). A label holds a hash of the spec, so the server updates the service only when something changed.
/// </summary>
public static class SwarmRouterSpec
{
    /// <summary>Label on the router service: it is Berth's router service (the value: "global").</summary>
    public const string RoleLabel = "berth.router";

    /// <summary>Label on the router service: hash of what it runs; another one means the service is to be updated.</summary>
    public const string SpecLabel = "berth.router.spec";

    public const string StateDirectory = "/var/lib/berth-router";
    public const string TokenFile = "/run/secrets/berth-router-token";
    public const string CaFile = "/run/secrets/berth-router-ca";

    /// <summary>The router service's name: berth-router, with the owner's id when known (one per server on a shared Swarm).</summary>
    public static string ServiceName(string? owner) => owner is { Length: > 0 } id ? $"berth-router-{id[..Math.Min(12, id.Length)]}" : "berth-router";

    /// <summary>The Swarm secret name for the routers' <paramref name="what"/> (token or ca), versioned by content like a stack's secrets.</summary>
    public static string SecretName(string? owner, string what, byte[] content) =>
        SwarmNames.SecretOf(ServiceName(owner), what, content);

    public static Models.ServiceSpec Build(SwarmRouterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var args = new List<string> { "--server", settings.ControlPlane.ToString(), "--token-file", TokenFile, "--state", StateDirectory };
        var secrets = new List<Models.SecretReference> { Reference(settings.TokenSecret, "berth-router-token") };
        if (settings.CaSecret is { } ca)
        {
            args.AddRange(["--tls-ca", CaFile]);
            secrets.Add(Reference(ca, "berth-router-ca"));
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [RoleLabel] = "global" };
        if (settings.Owner is { Length: > 0 } owner)
        {
            labels[SwarmLabels.Owner] = owner;
        }

        labels[SpecLabel] = Hash(settings.Image, args, secrets.Select(s => s.SecretName));
        return new Models.ServiceSpec
        {
            Name = ServiceName(settings.Owner),
            Labels = labels,
            Mode = new Models.ServiceMode { Global = new Models.GlobalService() },
            TaskTemplate = new Models.TaskSpec
            {
                ContainerSpec = new Models.ContainerSpec
                {
                    Image = settings.Image,
                    Args = args,

                    // Swarm expands templates in Env (not in Args): each task is named after its node.
                    Env = ["BERTH_ROUTER_ID={{.Node.Hostname}}", "BERTH_ROUTER_NODE={{.Node.Hostname}}"],
                    Secrets = secrets,
                    Mounts = [new Models.Mount { Type = "volume", Source = ServiceName(settings.Owner) + "-state", Target = StateDirectory }],

                    // A router drains its open requests on SIGTERM (as the local router does on `berth router stop`).
                    StopGracePeriod = TimeSpan.FromSeconds(30),
                },
                RestartPolicy = new Models.SwarmRestartPolicy { Condition = "any", Delay = TimeSpan.FromSeconds(1) },
                Networks = [new Models.NetworkAttachmentConfig { Target = "host" }],
            },

            // One node at a time, the old task stopped first: on the host network a new task could not bind the ports
            // the old one holds. Each node's router is out for the moment its successor takes to start.
            UpdateConfig = new Models.SwarmUpdateConfig { Parallelism = 1, Order = "stop-first", FailureAction = "pause" },
        };
    }

    private static Models.SecretReference Reference(Models.Secret secret, string file) => new()
    {
        SecretID = secret.ID,
        SecretName = secret.Spec?.Name ?? secret.ID,
        File = new Models.SecretReferenceFileTarget { Name = file, UID = "0", GID = "0", Mode = Convert.ToUInt32("400", 8) },
    };

    private static string Hash(string image, IEnumerable<string> args, IEnumerable<string?> secrets) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', [image, .. args, .. secrets]))))[..16];
}
