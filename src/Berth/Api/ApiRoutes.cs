namespace Berth.Api;

/// <summary>The HTTP API's paths, shared by the server and the CLI so they cannot drift apart.</summary>
public static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    /// <summary>GET, unauthenticated: liveness ({"status":"ok"}); nothing else is answered without a token.</summary>
    public const string Health = "/healthz";

    /// <summary>GET: the router's metrics in Prometheus text format (a viewer token is enough).</summary>
    public const string Metrics = "/metrics";
    public const string Info = Prefix + "/info";
    public const string Stacks = Prefix + "/stacks";
    public static string Stack(string stack) => $"{Stacks}/{Uri.EscapeDataString(stack)}";
    public static string Deploy(string stack) => $"{Stack(stack)}/deploy";

    /// <summary>GET lists the stack's releases; POST creates one (deployer), which enters the first environment.</summary>
    public static string StackReleases(string stack) => $"{Stack(stack)}/releases";

    /// <summary>GET: each environment of the stack, its release, state and pending approval.</summary>
    public static string Environments(string stack) => $"{Stack(stack)}/environments";
    public static string Environment(string stack, string environment) => $"{Environments(stack)}/{Uri.EscapeDataString(environment)}";

    /// <summary>POST ApprovalRequest (approver): lets the waiting release enter the environment.</summary>
    public static string Approve(string stack, string environment) => $"{Environment(stack, environment)}/approve";

    /// <summary>POST ApprovalRequest (approver): the waiting release will not enter the environment.</summary>
    public static string Reject(string stack, string environment) => $"{Environment(stack, environment)}/reject";

    /// <summary>POST EnvironmentRollbackRequest (deployer): the environment runs an earlier stack release again.</summary>
    public static string EnvironmentRollback(string stack, string environment) => $"{Environment(stack, environment)}/rollback";

    /// <summary>GET: every passage of a release through an environment, oldest first; ?env=E keeps one environment.</summary>
    public static string History(string stack) => $"{Stack(stack)}/history";

    /// <summary>GET ?env=A&amp;env=B: what differs between the releases two environments run.</summary>
    public static string Diff(string stack) => $"{Stack(stack)}/diff";

    /// <summary>GET: the deploy targets environments may name.</summary>
    public const string Targets = Prefix + "/targets";
    public const string Services = Prefix + "/services";
    public static string Service(string service) => $"{Services}/{Uri.EscapeDataString(service)}";
    /// <summary>GET, NDJSON LogEntry lines; query ?tail=N&amp;follow=true&amp;since=RFC3339 (since: replicas that ended before it are left out).</summary>
    public static string ServiceLogs(string service) => $"{Service(service)}/logs";
    public const string Scale = Services + "/scale";
    public static string Releases(string service) => $"{Service(service)}/releases";
    public static string Rollout(string service) => $"{Service(service)}/rollout";
    public static string RolloutPause(string service) => $"{Rollout(service)}/pause";
    public static string RolloutResume(string service) => $"{Rollout(service)}/resume";

    /// <summary>POST: restarts the service's aborted blue/green or canary rollout from its first step.</summary>
    public static string RolloutRetry(string service) => $"{Rollout(service)}/retry";
    public static string Rollback(string service) => $"{Service(service)}/rollback";
    public static string Promote(string service) => $"{Service(service)}/promote";
    public static string Abort(string service) => $"{Service(service)}/abort";

    /// <summary>GET; query ?release=N picks the rollout to that release (default: the latest blue/green or canary rollout).</summary>
    public static string RolloutReport(string service) => $"{Rollout(service)}/report";
    public const string Replicas = Prefix + "/replicas";
    public static string ReplicaKill(string replicaId) => $"{Replicas}/{Uri.EscapeDataString(replicaId)}/kill";
    /// <summary>GET, NDJSON EventInfo lines; query ?after=SEQ&amp;since=RFC3339&amp;service=S&amp;follow=true.</summary>
    public const string Events = Prefix + "/events";
    public const string Nodes = Prefix + "/nodes";

    /// <summary>POST: sets the node's availability to drain (its replicas move elsewhere); answers the node's NodeInfo.</summary>
    public static string NodeDrain(string node) => $"{Nodes}/{Uri.EscapeDataString(node)}/drain";

    /// <summary>POST: sets the node's availability back to active; answers the node's NodeInfo.</summary>
    public static string NodeActivate(string node) => $"{Nodes}/{Uri.EscapeDataString(node)}/activate";

    /// <summary>GET lists tokens (?all=true: revoked too), POST creates one (admin).</summary>
    public const string Tokens = Prefix + "/tokens";

    /// <summary>DELETE: revokes the active token of that name (admin).</summary>
    public static string Token(string name) => $"{Tokens}/{Uri.EscapeDataString(name)}";

    /// <summary>GET: the audit log (admin); ?since=RFC3339 time, ?limit=N (the newest N).</summary>
    public const string Audit = Prefix + "/audit";

    /// <summary>GET: who the caller's token is (name, role, expiry).</summary>
    public const string WhoAmI = Prefix + "/whoami";

    /// <summary>GET: the routers the control plane knows (`berth router ls`).</summary>
    public const string Routers = Prefix + "/routers";

    /// <summary>GET: a consistent copy of the store (admin).</summary>
    public const string Backup = Prefix + "/backup";

    /// <summary>Process artifacts by digest: GET says whether the server has one, PUT uploads one (a tar.gz, checked against the digest).</summary>
    public const string Artifacts = Prefix + "/artifacts";

    public static string Artifact(string digest) => Artifacts + "/" + digest;

    /// <summary>Secrets the server keeps per stack (`berth secret`): GET lists them (?stack=; never a content), PUT/DELETE {stack}/{name}.</summary>
    public const string Secrets = Prefix + "/secrets";

    public static string Secret(string stack, string name) => $"{Secrets}/{Uri.EscapeDataString(stack)}/{Uri.EscapeDataString(name)}";

    /// <summary>The registry logins the server pulls with: GET lists them (never a password), PUT/DELETE {registry}.</summary>
    public const string Registries = Prefix + "/registries";

    public static string Registry(string registry) => Registries + "/" + Uri.EscapeDataString(registry);

    /// <summary>GET (router role): the router's route stream, NDJSON <see cref="RouteUpdate"/>s (blank lines keep it alive).</summary>
    public static string RouterRoutes(string router) => $"{Routers}/{Uri.EscapeDataString(router)}/routes";

    /// <summary>POST (router role): a <see cref="RouterAck"/>.</summary>
    public static string RouterAck(string router) => $"{Routers}/{Uri.EscapeDataString(router)}/ack";

    /// <summary>POST (router role): a <see cref="RouterReport"/>, every second.</summary>
    public static string RouterReport(string router) => $"{Routers}/{Uri.EscapeDataString(router)}/report";

    /// <summary>POST (admin): stops a router the server started (it is started again at the server's next start).</summary>
    public static string RouterStop(string router) => $"{Routers}/{Uri.EscapeDataString(router)}/stop";

    /// <summary>POST: replace a router by a new process that takes its listening sockets over (admin).</summary>
    public static string RouterRestart(string router) => $"{Routers}/{Uri.EscapeDataString(router)}/restart";
}
