using Berth.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Security;

/// <summary>How an endpoint declares its access rule: <c>app.MapPost(...).Requires(BerthPermission.Deploy, "stack.deploy")</c>.</summary>
public static class EndpointAccessExtensions
{
    /// <summary>Callers need a valid token whose role holds <paramref name="permission"/>; calls are audited as <paramref name="action"/>.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, BerthPermission permission, string action, bool auditChanges = true)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointAccess(permission, action) { AuditChanges = auditChanges }).RequireAuthorization(AccessPolicies.NameOf(permission));

    /// <summary>Anyone may call it, without a token (the liveness probe only).</summary>
    public static TBuilder Public<TBuilder>(this TBuilder builder, string action)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointAccess(null, action)).AllowAnonymous();

    /// <summary>The access rule of the endpoint a request was routed to, or null (no endpoint, or one without a rule).</summary>
    public static EndpointAccess? AccessRule(this HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<EndpointAccess>();
}
