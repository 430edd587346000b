namespace Berth.Security;

/// <summary>What a token may do. Roles nest: viewer &lt; deployer &lt; admin; approver is a viewer who may also approve; router is a data plane's own.</summary>
public enum BerthRole
{
    /// <summary>Reads everything that is not secret: stacks, services, replicas, releases, rollouts, events, nodes, metrics.</summary>
    Viewer,

    /// <summary>A viewer who also changes what runs: deploy, scale, remove, roll back, promote, abort, pause, resume, kill, read logs.</summary>
    Deployer,

    /// <summary>A viewer who also approves promotions into protected environments.</summary>
    Approver,

    /// <summary>Everything: tokens, nodes, the audit log and server settings included.</summary>
    Admin,

    /// <summary>A Berth router (the data plane): follows the route stream, acknowledges, reports its metrics; nothing else.</summary>
    Router,
}
