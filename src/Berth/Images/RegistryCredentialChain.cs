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
/// A half-set pair of variables stops the search with an error (<see cref="HalfSetProblem"/>) instead of falling through
/// to another source: a CI job with a secret missing must not push with whatever login the machine happens to hold.
public static class RegistryCredentialChain
{
    /// <summary>
    /// What is wrong with the environment's login variables, or null: BERTH_REGISTRY_PASSWORD without
    /// BERTH_REGISTRY_USER, or BERTH_REGISTRY_USER without a password (unless CR_PAT is set: then it names ghcr.io's user).
    /// </summary>
    public static string? HalfSetProblem(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        bool Set(string name) => environment.TryGetValue(name, out var value) && value.Length > 0;
        return (Set("BERTH_REGISTRY_USER"), Set("BERTH_REGISTRY_PASSWORD"), Set("CR_PAT")) switch
        {
            (false, true, _) => "BERTH_REGISTRY_PASSWORD is set but BERTH_REGISTRY_USER is not: set both (or neither, to use berth registry login or docker's config)",
            (true, false, false) => "BERTH_REGISTRY_USER is set but BERTH_REGISTRY_PASSWORD is not: set both (or neither, to use berth registry login or docker's config); for ghcr.io, CR_PAT serves as the password",
            _ => null,
        };
    }

    public static async Task<FoundRegistryLogin?> FindAsync(string registry, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (HalfSetProblem(environment) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

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
