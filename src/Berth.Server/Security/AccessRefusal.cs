using Berth.Api;
using Berth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Security;

/// <summary>How a refused call is answered, whichever credential it came with: 401 says what was wrong with it, 403 which role the call needs.</summary>
public static class AccessRefusal
{
    public static async Task WriteUnauthorizedAsync(HttpContext context, string missingCredential, string? wwwAuthenticate)
    {
        var attempt = AuthenticationAttempt.Of(context);
        var message = attempt?.FailureReason is { } reason ? $"authentication failed: {reason}" : $"authentication required: {missingCredential}";
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (wwwAuthenticate is not null)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = attempt?.Presented == true ? wwwAuthenticate + ", error=\"invalid_token\"" : wwwAuthenticate;
        }

        await context.Response.WriteAsJsonAsync(new ErrorResponse(message), ApiJson.Options);
    }

    public static async Task WriteForbiddenAsync(HttpContext context)
    {
        var name = BerthClaims.NameOf(context.User) ?? "?";
        var role = BerthClaims.RoleOf(context.User) is { } r ? RolePermissions.Name(r) : "?";
        var message = context.AccessRule() is { Permission: { } permission } rule
            ? $"permission denied: token '{name}' has the {role} role; {rule.Action} needs {RolePermissions.RolesAllowed(permission)}"
            : $"permission denied: token '{name}' ({role}) may not call this endpoint";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(new ErrorResponse(message), ApiJson.Options);
    }
}
