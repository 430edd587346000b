using Berth.Security;
using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Security;

/// <summary>
/// One authorization policy per <see cref="BerthPermission"/>: a valid token whose role holds it, presented as a bearer
/// header or, on the dashboard's routes only, through the dashboard's session cookie.
/// </summary>
public static class AccessPolicies
{
    public static string NameOf(BerthPermission permission) => "berth:" + RolePermissions.Verb(permission);

    public static void Add(AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<BerthPermission>())
        {
            options.AddPolicy(NameOf(permission), policy => policy
                .AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName, Dashboard.DashboardAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new PermissionRequirement(permission)));
        }

        // A route that matches no endpoint still needs a token: an anonymous caller learns nothing, not even a 404.
        options.FallbackPolicy = new AuthorizationPolicyBuilder(TokenAuthenticationHandler.SchemeName, Dashboard.DashboardAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();
    }
}
