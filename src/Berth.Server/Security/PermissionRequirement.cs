using Berth.Security;
using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Security;

/// <summary>The caller's role must hold <see cref="Permission"/> (see <see cref="RolePermissions"/>).</summary>
public sealed class PermissionRequirement : AuthorizationHandler<PermissionRequirement>, IAuthorizationRequirement
{
    public PermissionRequirement(BerthPermission permission)
    {
        Permission = permission;
    }

    public BerthPermission Permission { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (BerthClaims.RoleOf(context.User) is { } role && RolePermissions.Allows(role, requirement.Permission))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
