using Berth.Security;

namespace Berth.Server.Security;

/// <summary>
/// Endpoint metadata every API endpoint carries: the permission it needs (null: public, only /healthz) and the name
/// its calls have in the audit log ("stack.deploy"). The server refuses to start if an endpoint has none.
/// </summary>
public sealed record EndpointAccess(BerthPermission? Permission, string Action)
{
    /// <summary>
    /// Whether a successful call is audited as a change. False only for the routers' own traffic (acknowledgements
    /// and reports, every second): refusals are audited whatever this says.
    /// </summary>
    public bool AuditChanges { get; init; } = true;
}
