using Berth.Security;
using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Security;

/// <summary>One authorization policy per <see cref="BerthPermission"/>: a valid token whose role holds it.</summary>
public static class AccessPolicies
{
    public static string NameOf(BerthPermission permission) => "berth:" + RolePermissions.Verb(permission);

    public static void Add(AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<BerthPermission>())
        {
            options.AddPolicy(NameOf(permission), policy => policy
                .AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new PermissionRequirement(permission)));
        }

        // A route that matches no endpoint still needs a token: an anonymous caller learns nothing, not even a 404.
        options.FallbackPolicy = new AuthorizationPolicyBuilder(TokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();
    }
}
