namespace Berth.Images;

/// <summary>A login found for a registry, and where it came from (for messages and <c>berth registry ls</c>; never the password).</summary>
public sealed record FoundRegistryLogin(string Registry, RegistryCredentials Credentials, string Source);

/// <summary>
/// Where the CLI finds its login for a registry (berth build --push, berth deploy --with-registry-auth), first match wins:
/// <list type="number">
/// <item><c>BERTH_REGISTRY_USER</c> + <c>BERTH_REGISTRY_PASSWORD</c>;</item>
/// <item>for ghcr.io, <c>CR_PAT</c> as the password (user <c>BERTH_REGISTRY_USER</c>, else <c>GITHUB_ACTOR</c>), as in the course;</item>
/// <item>Berth's own <c>registries.json</c> (<c>berth registry login</c>);</item>
/// <item>docker's config.json: the credential helper for the registry (<c>credHelpers</c>, else <c>credsStore</c>), else <c>auths</c>.</item>
/// </list>
/// </summary>
public static class RegistryCredentialChain
{
    public static async Task<FoundRegistryLogin?> FindAsync(string registry, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var key = RegistryName.Normalize(registry);
        string? Variable(string name) => environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        if (Variable("BERTH_REGISTRY_USER") is { } user && Variable("BERTH_REGISTRY_PASSWORD") is { } password)
        {
            return new FoundRegistryLogin(key, new RegistryCredentials(user, password), "environment (BERTH_REGISTRY_USER, BERTH_REGISTRY_PASSWORD)");
        }

        if (key == "ghcr.io" && Variable("CR_PAT") is { } pat)
        {
            return (Variable("BERTH_REGISTRY_USER") ?? Variable("GITHUB_ACTOR")) is { } owner
                ? new FoundRegistryLogin(key, new RegistryCredentials(owner, pat), "environment (CR_PAT)")
                : throw new InvalidOperationException("CR_PAT is set for ghcr.io but no user: set BERTH_REGISTRY_USER (or GITHUB_ACTOR, as GitHub Actions does)");
        }

        var file = new RegistryLoginFile(RegistryLoginFile.FolderOf(environment));
        if (file.Find(key) is { } saved)
        {
            return new FoundRegistryLogin(key, saved, $"berth ({file.FilePath})");
        }

        var docker = DockerConfigFile.Read(environment);
        if (docker.HelperFor(key) is { } helper)
        {
            return await helper.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } fromHelper
                ? new FoundRegistryLogin(key, fromHelper, $"credential helper {helper.Name}")
                : null;
        }

        return docker.Auths().FirstOrDefault(a => a.Registry == key) is { Credentials: { } auth }
            ? new FoundRegistryLogin(key, auth, $"docker config ({docker.FilePath})")
            : null;
    }
}
