namespace Berth.Security;

/// <summary>The one table of which role holds which permission, and the names roles have on the wire.</summary>
public static class RolePermissions
{
    /// <summary>The roles' names as users type them, lowest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["viewer", "deployer", "approver", "admin", "router"];

    public static bool Allows(BerthRole role, BerthPermission permission) => permission switch
    {
        BerthPermission.Read => role is not BerthRole.Router,
        BerthPermission.Deploy => role is BerthRole.Deployer or BerthRole.Admin,
        BerthPermission.Approve => role is BerthRole.Approver or BerthRole.Admin,
        BerthPermission.Administer => role is BerthRole.Admin,
        BerthPermission.Route => role is BerthRole.Router or BerthRole.Admin,
        _ => false,
    };

    /// <summary>The roles that hold <paramref name="permission"/>, as words for an error message ("deployer or admin").</summary>
    public static string RolesAllowed(BerthPermission permission) =>
        string.Join(" or ", Enum.GetValues<BerthRole>().Where(r => Allows(r, permission)).Select(Name));

    public static string Name(BerthRole role) => role switch
    {
        BerthRole.Viewer => "viewer",
        BerthRole.Deployer => "deployer",
        BerthRole.Approver => "approver",
        BerthRole.Admin => "admin",
        BerthRole.Router => "router",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? text, out BerthRole role)
    {
        role = default;
        var index = text is null ? -1 : Names.ToList().IndexOf(text.Trim().ToLowerInvariant());
        if (index < 0)
        {
            return false;
        }

        role = (BerthRole)index;
        return true;
    }

    /// <summary>What an endpoint's permission is called in messages: "read", "deploy", "approve", "administer".</summary>
    public static string Verb(BerthPermission permission) => permission switch
    {
        BerthPermission.Read => "read",
        BerthPermission.Deploy => "deploy",
        BerthPermission.Approve => "approve",
        BerthPermission.Administer => "administer",
        BerthPermission.Route => "route",
        _ => permission.ToString(),
    };
}
