using Berth.Images;
using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// The registry login a Swarm service is created with (sent as X-Registry-Auth, like <c>docker service create
/// --with-registry-auth</c>), so every node can pull a private image: the credentials <c>docker login</c> stored in
/// the server's own registry logins (<see cref="RegistryLoginStore"/>, given by <c>berth deploy --with-registry-auth</c>),
/// else the server's <c>$DOCKER_CONFIG/config.json</c> (else <c>~/.docker/config.json</c>) for the image's registry.
/// Credentials are checked with the engine once (then every <see cref="RecheckAfter"/>): a registry that refuses them
/// fails the replica at once with a message naming the registry, instead of a task Swarm rejects as "No such image".
/// </summary>
internal sealed class SwarmRegistryAuth(DockerClient docker, TimeProvider time, RegistryLoginStore? logins = null)
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(10);
    private readonly Dictionary<(string Registry, string Username, string Password), DateTimeOffset> _accepted = [];
    private readonly Lock _gate = new();

    private const string StoredLoginsSource = "the server's registry logins";

    /// <summary>
    /// Null when <paramref name="registry"/> accepts <paramref name="credentials"/> (or cannot be asked: no verdict),
    /// else the registry's refusal.
    /// </summary>
    public async Task<string?> RefusalAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            await docker.System.AuthenticateAsync(
                new Models.AuthConfig { Username = credentials.Username, Password = credentials.Password, ServerAddress = registry }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (DockerApiException e) when (Refused(e))
        {
            return SwarmRuntimeDriver.ErrorOf(e);
        }
        catch (DockerApiException)
        {
            return null;
        }
    }

    /// <summary>Where credentials are read from, for messages.</summary>
    public static string ConfigFile =>
        Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } folder
            ? Path.Combine(folder, "config.json")
            : "~/.docker/config.json";

    /// <summary>The login for <paramref name="image"/>'s registry, null when there is none.</summary>
    /// <exception cref="SwarmStartException">The registry refuses the stored credentials, or the config file is invalid.</exception>
    public async Task<Models.AuthConfig?> ForImageAsync(string service, string image, CancellationToken cancellationToken)
    {
        var registry = ImageReference.Parse(image).RegistryOrDefault;
        RegistryCredentials? credentials;
        var source = StoredLoginsSource;
        try
        {
            credentials = logins?.Find(registry);
            if (credentials is null)
            {
                source = ConfigFile;
                credentials = RegistryCredentials.FromDockerConfig(registry, ProcessEnvironment());
            }
        }
        catch (InvalidOperationException e)
        {
            throw new SwarmStartException($"service {service}: cannot read the login for registry {registry}: {e.Message}");
        }

        if (credentials is null)
        {
            return null;
        }

        var auth = new Models.AuthConfig { Username = credentials.Username, Password = credentials.Password, ServerAddress = registry };
        var key = (registry, credentials.Username, credentials.Password);
        lock (_gate)
        {
            if (_accepted.TryGetValue(key, out var at) && time.GetUtcNow() - at < RecheckAfter)
            {
                return auth;
            }
        }

        try
        {
            await docker.System.AuthenticateAsync(auth, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (!Refused(e))
        {
            // The registry could not be asked (unreachable, no network): not a verdict on the login. Swarm gets it anyway
            // and a node that has the image locally still runs it.
            return auth;
        }
        catch (DockerApiException e)
        {
            throw new SwarmStartException(
                $"service {service}: registry {registry} refused the credentials for user {credentials.Username} (from {source}) " +
                $"needed to pull {image}: {SwarmRuntimeDriver.ErrorOf(e)}. Give a valid login with berth deploy --with-registry-auth, " +
                $"or run docker login {registry} as the user running berth server, or point DOCKER_CONFIG at a config.json with a valid login");
        }

        lock (_gate)
        {
            _accepted[key] = time.GetUtcNow();
        }

        return auth;
    }

    /// <summary>A hint for a task Swarm rejected because the image could not be pulled, or null when none applies.</summary>
    public static string? PullHint(string image, string? rejection)
    {
        var registry = ImageReference.Parse(image).Registry;
        return registry is not null && rejection is not null && rejection.Contains("No such image", StringComparison.OrdinalIgnoreCase)
            ? $"the image is pulled from registry {registry}: if it needs a login, run docker login {registry} as the user running " +
              $"berth server (read from {ConfigFile}), or check the image name"
            : null;
    }

    private static bool Refused(DockerApiException e) =>
        e.StatusCode == System.Net.HttpStatusCode.Unauthorized
        || SwarmRuntimeDriver.ErrorOf(e) is var message
        && (message.Contains("401", StringComparison.Ordinal) || message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
            || message.Contains("incorrect username or password", StringComparison.OrdinalIgnoreCase));

    private static Dictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } folder
            ? new Dictionary<string, string>(StringComparer.Ordinal) { ["DOCKER_CONFIG"] = folder }
            : [];
}
