namespace Berth.Security;

/// <summary>One kind of access an API endpoint asks for; <see cref="RolePermissions"/> says which roles have it.</summary>
public enum BerthPermission
{
    /// <summary>Read state that holds no secret (viewer and up).</summary>
    Read,

    /// <summary>Change what runs, and read replica output, which may hold sensitive data (deployer, admin).</summary>
    Deploy,

    /// <summary>Approve a promotion into a protected environment (approver, admin).</summary>
    Approve,

    /// <summary>Manage tokens, nodes and the server; read the audit log (admin).</summary>
    Administer,

    /// <summary>Follow the route stream, acknowledge routes, report router metrics (router, admin).</summary>
    Route,
}
