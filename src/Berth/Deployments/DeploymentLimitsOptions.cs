using System.ComponentModel.DataAnnotations;

namespace Berth.Deployments;

/// <summary>Limits a deploy or a scale must stay within (`berth server --max-replicas`), checked before anything is written.</summary>
public sealed class DeploymentLimitsOptions
{
    /// <summary>The default of <see cref="MaxReplicas"/>.</summary>
    public const int DefaultMaxReplicas = 1000;

    /// <summary>
    /// Most replicas one service may ask for: <c>deploy.replicas</c>, a canary <c>replicas</c> step, <c>berth scale</c>.
    /// Default 1000. It guards against a typo (<c>replicas: 100000</c>) starting a process or task per replica; there is
    /// no limit on a stack's sum (see docs/compose.md, Limits).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxReplicas { get; set; } = DefaultMaxReplicas;

    /// <summary>"service articles_app: deploy.replicas is 5000, more than this server's limit of 1000 replicas per service (...)"; null within the limit.</summary>
    public string? Check(string what, int requested) =>
        requested > MaxReplicas
            ? $"{what} is {requested}, more than this server's limit of {MaxReplicas} replicas per service (berth server --max-replicas)"
            : null;
}
