using Berth.Security;

namespace Berth.Server.Routers;

/// <summary>The token (role router) a router this server starts follows it with: one per router name, kept in a file while valid.</summary>
internal static class RouterToken
{
    /// <summary>
    /// The token file <c>router.token</c> (0600) in <paramref name="directory"/>, holding a valid router token named
    /// <paramref name="name"/>: kept while it is one, else a new token is made (the old one revoked) and written.
    /// </summary>
    public static async Task<string> EnsureAsync(TokenService tokens, string directory, string name, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "router.token");
        if (File.Exists(file) && (await tokens.CheckAsync(await File.ReadAllTextAsync(file, cancellationToken), cancellationToken)).Token is { Role: BerthRole.Router } token && token.Name == name)
        {
            return file;
        }

        await tokens.RevokeIfActiveAsync(name, cancellationToken);
        var (_, created) = await tokens.CreateAsync(name, BerthRole.Router, expiresIn: null, createdBy: "berth server", cancellationToken);
        OwnerOnlyFile.WriteText(file, created.ToString());
        return file;
    }
}
