namespace Berth.Images;

/// <summary>A user name and password for one registry (never logged; <see cref="ToString"/> hides the password).</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => $"{Username}:***";

    /// <summary>This machine's login for <paramref name="registry"/> (<see cref="RegistryCredentialChain"/>), or null.</summary>
    public static async Task<RegistryCredentials?> ForPushAsync(
        string registry, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
        (await RegistryCredentialChain.FindAsync(registry, environment, cancellationToken).ConfigureAwait(false))?.Credentials;

    /// <summary>
    /// The credentials docker's <c>config.json</c> holds for <paramref name="registry"/> in <c>auths</c> (as
    /// <c>docker login</c> writes it without a helper), or null: <see cref="DockerConfigFile"/> reads the file
    /// (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>). Credential helpers are not asked.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is not valid JSON, or an entry is not base64.</exception>
    public static RegistryCredentials? FromDockerConfig(string registry, IReadOnlyDictionary<string, string> environment)
    {
        var key = RegistryName.Normalize(registry);
        return DockerConfigFile.Read(environment).Auths().FirstOrDefault(a => a.Registry == key).Credentials;
    }
}
