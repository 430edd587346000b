using System.Collections.Concurrent;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>The Swarm objects a stack's replicas share: its overlay network and its (versioned) secrets, created on demand.</summary>
internal sealed class SwarmStackResources
{
    private readonly IDockerClient _docker;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task> _networks = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _secretGate = new(1, 1);

    public SwarmStackResources(IDockerClient docker, ILogger logger)
    {
        _docker = docker;
        _logger = logger;
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
    /// Removes <c>{stack}_default</c> once the stack's last replica is gone, as <c>docker stack rm</c> does. Best effort:
    /// Swarm refuses while a service still uses the network (a replica being created meanwhile), and a later start
    /// creates it again.
    /// </summary>
    public async Task RemoveNetworkAsync(string stack, CancellationToken cancellationToken)
    {
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

    /// <summary>References to the service's secrets, creating <c>{stack}_{secret}_v{hash}</c> for each new content.</summary>
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
            var existing = await _docker.Secrets.ListAsync(cancellationToken).ConfigureAwait(false);
            var references = new List<Models.SecretReference>();
            foreach (var secret in wanted)
            {
                var stack = launch.Stack ?? launch.Service;
                Models.Secret? found;
                if (launch.SecretContents.TryGetValue(secret.Source, out var content))
                {
                    var name = SwarmNames.SecretOf(stack, secret.Source, content);
                    found = existing.FirstOrDefault(s => s.Spec?.Name == name);
                    if (found is null)
                    {
                        var created = await _docker.Secrets.CreateAsync(
                            new Models.SwarmSecretSpec
                            {
                                Name = name,
                                Data = content,
                                Labels = new Dictionary<string, string> { [SwarmLabels.Stack] = stack, [SwarmLabels.Secret] = secret.Source },
                            },
                            cancellationToken).ConfigureAwait(false);
                        SwarmRuntimeLog.SecretCreated(_logger, name);
                        found = new Models.Secret { ID = created.ID, Spec = new Models.SwarmSecretSpec { Name = name } };
                    }
                }
                else
                {
                    // No content from the compose file: an external secret created beforehand (docker secret create).
                    found = existing.FirstOrDefault(s => s.Spec?.Name == secret.Source)
                        ?? existing.FirstOrDefault(s => s.Spec?.Name == $"{stack}_{secret.Source}")
                        ?? throw new SwarmStartException(
                            $"secret {secret.Source} has no content here and no Swarm secret named {secret.Source} exists (docker secret create {secret.Source} FILE)");
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
                    Labels = new Dictionary<string, string> { [SwarmLabels.Stack] = stack, ["com.docker.stack.namespace"] = stack },
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
