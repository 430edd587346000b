using System.Globalization;
using Berth.Api;

namespace Berth.Cli.Commands.Stacks;

/// <summary>Where one service of a stack being removed stands: the replicas that still run (or start), or gone.</summary>
public sealed record ServiceRemovalProgress(string Service, IReadOnlyList<ReplicaInfo> ReplicasLeft, bool Removed)
{
    /// <summary>"Removing service articles_app: 3 replicas left", or "Service articles_app removed".</summary>
    public string Line => Removed ? $"Service {Service} removed" : $"Removing service {Service}: {CountText(ReplicasLeft.Count)}";

    /// <summary>
    /// From one poll of the stack's services and replicas: a service missing from the list was deleted, and the server
    /// deletes one only after its replicas stopped.
    /// </summary>
    public static ServiceRemovalProgress Of(string service, IReadOnlyList<ServiceInfo> services, IReadOnlyList<ReplicaInfo> replicas) =>
        services.Any(s => s.Name == service)
            ? new ServiceRemovalProgress(service, replicas.Where(r => r.Service == service && IsAlive(r)).ToList(), Removed: false)
            : new ServiceRemovalProgress(service, [], Removed: true);

    /// <summary>"no replica left", "1 replica left", "3 replicas left".</summary>
    public static string CountText(int count) => count switch
    {
        0 => "no replica left",
        1 => "1 replica left",
        _ => count.ToString(CultureInfo.InvariantCulture) + " replicas left",
    };

    /// <summary>Pending, starting or running: a process (or task) that still exists or may start.</summary>
    private static bool IsAlive(ReplicaInfo replica) => replica.State is not ("exited" or "shutdown");
}
