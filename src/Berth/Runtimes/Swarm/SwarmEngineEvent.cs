using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// What one Engine API event means to the watcher: the nodes changed, one service's tasks may have changed (and whether
/// a container of it said so), or nothing it follows. A container's healthcheck alone makes three events per check (exec_create, exec_start, exec_die) that
/// change no task: before this filter each woke a task listing, several a second per replica for good.
/// </summary>
internal readonly record struct SwarmEngineEvent(bool NodesChanged, string? ServiceId, bool FromContainer = false)
{
    private const string SwarmServiceIdAttribute = "com.docker.swarm.service.id";

    /// <summary>A task's container that starts, ends, is paused or resumed (its health changes are matched by prefix).</summary>
    private static readonly IReadOnlyList<string> ContainerActions = ["start", "die", "oom", "destroy", "pause", "unpause"];

    /// <summary>
    /// The actions followed, for the engine's own <c>event</c> filter too (it matches <c>health_status</c> against
    /// "health_status: healthy" and the like): a container that starts, ends, is paused or resumed, or whose health
    /// changes; a service or node created, updated or removed.
    /// </summary>
    public static readonly IReadOnlyList<string> FollowedActions =
        [.. ContainerActions, "health_status", "create", "update", "remove"];

    /// <summary>The event stream's filters: the types and actions above, nothing else is sent by the engine.</summary>
    public static Models.ContainerEventsParameters StreamParameters() => new()
    {
        Filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["type"] = new Dictionary<string, bool> { ["container"] = true, ["service"] = true, ["node"] = true },
            ["event"] = FollowedActions.ToDictionary(action => action, _ => true, StringComparer.Ordinal),
        },
    };

    /// <summary>Nothing the watcher follows.</summary>
    public static readonly SwarmEngineEvent None = new(false, null);

    public static SwarmEngineEvent Read(Models.Message message) => message.Type switch
    {
        "node" => new SwarmEngineEvent(true, null),
        "service" => new SwarmEngineEvent(false, message.Actor?.ID),
        "container" when IsContainerStateChange(message.Action)
            && message.Actor?.Attributes is { } attributes && attributes.TryGetValue(SwarmServiceIdAttribute, out var id) =>
            new SwarmEngineEvent(false, id, FromContainer: true),
        _ => None,
    };

    private static bool IsContainerStateChange(string? action) =>
        action is not null
        && (ContainerActions.Contains(action) || action.StartsWith("health_status", StringComparison.Ordinal));
}
