using System.Globalization;
using Berth.Api;

namespace Berth.Cli.Commands.Stacks;

/// <summary>Where one service of a stack being removed stands: the replicas that still run (or start), or gone.</summary>
public sealed record ServiceRemovalProgress(string Service, IReadOnlyList<ReplicaInfo> ReplicasLeft, bool Removed)
{
    /// <summary>"Removing service articles_app: 3 replicas left", or "Service articles_app removed".</summary>
    public string Line => Removed ? $"Service {Service} removed" : $"Removing service {Service}: {CountText(ReplicasLeft.Count)}";

    /// <summary>"no replica left", "1 replica left", "3 replicas left".</summary>
    public static string CountText(int count) => count switch
    {
        0 => "no replica left",
        1 => "1 replica left",
        _ => count.ToString(CultureInfo.InvariantCulture) + " replicas left",
    };
}
