using System.Collections.Concurrent;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>The Swarm objects a stack's replicas share: its overlay network and its (versioned) secrets, created on demand.</summary>
internal sealed partial class SwarmStackResources
{
    private readonly IDockerClient _docker;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task> _networks = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _secretGate = new(1, 1);
    private readonly string? _owner;

    /// <param name="owner">The server's data folder id, labelled on what it creates (<see cref="SwarmLabels.Owner"/>): a restore finds its leftovers by it.</param>
    public SwarmStackResources(IDockerClient docker, ILogger logger, string? owner = null)
    {
        _docker = docker;
        _logger = logger;
        _owner = owner;
    }

    /// <summary>The labels of a stack's network or secret: its stack, the owner, and <paramref name="more"/>.</summary>
    private Dictionary<string, string> LabelsOf(string stack, params (string Key, string Value)[] more)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [SwarmLabels.Stack] = stack };
        if (_owner is { Length: > 0 } owner)
        {
            labels[SwarmLabels.Owner] = owner;
        }

        foreach (var (key, value) in more)
        {
            labels[key] = value;
        }

        return labels;
    }

    /// <summary>Creates <c>{stack}_default</c> (overlay, attachable, labelled) unless it exists; returns its name.</summary>
    public async Task<string> EnsureNetworkAsync(string stack, CancellationToken cancellationToken)
    {
        var name = SwarmNames.NetworkOf(stack);
        var creation = _networks.GetOrAdd(name, _ => CreateNetworkAsync(name, stack));
        try
        {
            await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _networks.TryRemove(new KeyValuePair<string, Task>(name, creation));
            throw;
        }

        return name;
    }

    /// <summary>
    /// Removes <c>{stack}_default</c> and the stack's Berth-made secrets once the stack's last replica is gone, as
    /// <c>docker stack rm</c> does. Best effort:
    /// Swarm refuses while a service still uses the network (a replica being created meanwhile), and a later start
    /// creates it again.
    /// </summary>
    public async Task RemoveStackResourcesAsync(string stack, CancellationToken cancellationToken)
    {
        // The stack's secrets go with it too (the driver calls this once the stack's last replica is gone).
        await RemoveSecretsAsync(stack, cancellationToken).ConfigureAwait(false);
        var name = SwarmNames.NetworkOf(stack);
        _networks.TryRemove(name, out _);
        try
        {
            await _docker.Networks.DeleteNetworkAsync(name, cancellationToken).ConfigureAwait(false);
            SwarmRuntimeLog.NetworkRemoved(_logger, name, stack);
        }
        catch (DockerApiException)
        {
            // Already gone, or in use by a replica being created: it stays, which is what that replica needs.
        }
    }

    /// <summary>Forgets that <c>{stack}_default</c> was made, e.g. after someone removed it: the next start creates it again.</summary>
    public void ForgetNetwork(string stack) => _networks.TryRemove(SwarmNames.NetworkOf(stack), out _);

    /// <summary>
    /// References to the service's secrets: for each content the release carries, <c>{stack}_{secret}_v{hash}</c>
    /// (created when missing: Swarm secrets are immutable, so a new content is a new name, and a rollback finds or
    /// re-creates its own version); for an external secret, the existing Swarm secret it names.
    /// </summary>
    public async Task<IReadOnlyList<Models.SecretReference>> EnsureSecretsAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        var wanted = launch.Spec?.Secrets ?? [];
        if (wanted.Count == 0)
        {
            return [];
        }

        await _secretGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = (await _docker.Secrets.ListAsync(cancellationToken).ConfigureAwait(false)).ToList();
            var references = new List<Models.SecretReference>();
            var stack = launch.Stack ?? launch.Service;
            foreach (var secret in wanted)
            {
                Models.Secret found;
                if (launch.SecretContents.TryGetValue(secret.Source, out var content))
                {
                    found = await EnsureVersionAsync(stack, secret.Source, content, existing, cancellationToken).ConfigureAwait(false);
                }
                else if (launch.ExternalSecrets.TryGetValue(secret.Source, out var external))
                {
                    found = existing.FirstOrDefault(s => s.Spec?.Name == external)
                        ?? throw new SwarmStartException(
                            $"external secret {external} (secrets.{secret.Source} in the compose file) does not exist in the Swarm: create it with `docker secret create {external} FILE`");
                }
                else
                {
                    // A release written before releases carried secrets: an existing secret by its name, as then.
                    found = existing.FirstOrDefault(s => s.Spec?.Name == secret.Source)
                        ?? existing.FirstOrDefault(s => s.Spec?.Name == $"{stack}_{secret.Source}")
                        ?? throw new SwarmStartException(
                            $"secret {secret.Source} has no content in this release and no Swarm secret named {secret.Source} exists: deploy the stack again with `berth deploy` to carry its content");
                }

                references.Add(new Models.SecretReference
                {
                    SecretID = found.ID,
                    SecretName = found.Spec?.Name ?? secret.Source,
                    File = new Models.SecretReferenceFileTarget
                    {
                        Name = secret.Target ?? secret.Source,
                        UID = secret.Uid ?? "0",
                        GID = secret.Gid ?? "0",
                        Mode = (uint)(secret.Mode ?? Convert.ToInt32("444", 8)),
                    },
                });
            }

            return references;
        }
        finally
        {
            _secretGate.Release();
        }
    }

    /// <summary>
    /// Removes the Swarm secrets Berth made for <paramref name="stack"/> (labelled), as <c>docker stack rm</c> does.
    /// Best effort: Swarm refuses one still in use, which then stays.
    /// </summary>
    public async Task RemoveSecretsAsync(string stack, CancellationToken cancellationToken)
    {
        await _secretGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var secrets = await _docker.Secrets.ListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var secret in secrets.Where(s => LabelOf(s, SwarmLabels.Stack) == stack && LabelOf(s, SwarmLabels.Secret) is not null))
            {
                await TryRemoveSecretAsync(secret, stack, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DockerApiException)
        {
            // Listing failed: the secrets stay, as they would after a crash; the next removal tries again.
        }
        finally
        {
            _secretGate.Release();
        }
    }

    private async Task<Models.Secret> EnsureVersionAsync(string stack, string source, byte[] content, List<Models.Secret> existing, CancellationToken cancellationToken)
    {
        var name = SwarmNames.SecretOf(stack, source, content);
        if (existing.FirstOrDefault(s => s.Spec?.Name == name) is { } found)
        {
            return found;
        }

        var created = await _docker.Secrets.CreateAsync(
            new Models.SwarmSecretSpec
            {
                Name = name,
                Data = content,
                Labels = LabelsOf(stack, (SwarmLabels.Secret, source)),
            },
            cancellationToken).ConfigureAwait(false);
        SwarmRuntimeLog.SecretCreated(_logger, name);
        var made = new Models.Secret { ID = created.ID, Spec = new Models.SwarmSecretSpec { Name = name } };
        existing.Add(made);

        // Older versions of this secret that no service uses any more go, as a redeploy with docker stack deploy leaves
        // nothing unused behind; one still in use (the previous release's replicas) is refused by Swarm and stays.
        // A rollback to an older content makes its version again from the content kept with that release.
        foreach (var older in existing.Where(s => s.ID != created.ID && LabelOf(s, SwarmLabels.Stack) == stack && LabelOf(s, SwarmLabels.Secret) == source).ToList())
        {
            await TryRemoveSecretAsync(older, stack, cancellationToken).ConfigureAwait(false);
        }

        return made;
    }

    private async Task TryRemoveSecretAsync(Models.Secret secret, string stack, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Secrets.DeleteAsync(secret.ID, cancellationToken).ConfigureAwait(false);
            Log.SecretRemoved(_logger, secret.Spec?.Name ?? secret.ID, stack);
        }
        catch (DockerApiException)
        {
            // In use by a service (or gone already): it stays until it is not.
        }
    }

    private static string? LabelOf(Models.Secret secret, string label) =>
        secret.Spec?.Labels is { } labels && labels.TryGetValue(label, out var value) ? value : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3150, Level = LogLevel.Information, Message = "Removed Swarm secret {Secret} of stack {Stack} (no service uses it)")]
        public static partial void SecretRemoved(ILogger logger, string secret, string stack);
    }

    private async Task CreateNetworkAsync(string name, string stack)
    {
        var networks = await _docker.Networks.ListNetworksAsync(
            new Models.NetworksListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } } },
            CancellationToken.None).ConfigureAwait(false);
        if (networks.Any(n => n.Name == name))
        {
            return;
        }

        try
        {
            await _docker.Networks.CreateNetworkAsync(
                new Models.NetworksCreateParameters
                {
                    Name = name,
                    Driver = "overlay",
                    Attachable = true,
                    Labels = LabelsOf(stack, ("com.docker.stack.namespace", stack)),
                },
                CancellationToken.None).ConfigureAwait(false);
            SwarmRuntimeLog.NetworkCreated(_logger, name, stack);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Created meanwhile by someone else: what we wanted.
        }
    }
}
