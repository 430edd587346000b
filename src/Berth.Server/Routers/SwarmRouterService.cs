using Berth.Engine.Events;
using Berth.Hosting;
using Berth.Runtimes.Swarm;
using Berth.Security;
using Docker.DotNet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Models = Docker.DotNet.Models;

namespace Berth.Server.Routers;

/// <summary>
/// The routers of the Swarm runtime with <c>berth server --routers global</c>: keeps one Swarm service in global mode
/// (<see cref="SwarmRouterSpec"/>) — a router on every node, on its host network — created once the server listens,
/// updated when its image, the server's address or a secret changes, and left running when the server stops (the data
/// plane outlives the control plane). Its token (role router, <c>DATA/routers/swarm/router.token</c>) and the API's
/// certificate reach the tasks as Swarm secrets.
/// </summary>
public sealed partial class SwarmRouterService : BackgroundService
{
    private readonly SwarmRuntimeOptions _swarm;
    private readonly SwarmRouterOptions _options;
    private readonly TokenService _tokens;
    private readonly EventLog _events;
    private readonly string _directory;
    private readonly ILogger<SwarmRouterService> _logger;
    private readonly TaskCompletionSource<(Uri Address, string? Certificate)> _controlPlane = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _reportedTaskFailures = new(StringComparer.Ordinal);
    private string? _lastProblem;

    public SwarmRouterService(IOptions<SwarmRuntimeOptions> swarm, IOptions<SwarmRouterOptions> options, TokenService tokens, EventLog events, IOptions<Berth.Store.StoreOptions> store, ILogger<SwarmRouterService> logger)
    {
        _swarm = swarm.Value;
        _options = options.Value;
        _tokens = tokens;
        _events = events;
        _directory = Path.Combine(Path.GetFullPath(store.Value.DataDirectory), "routers", "swarm");
        _logger = logger;
    }

    /// <summary>Where every node's router reaches this server, and the certificate it pins (null: plain HTTP).</summary>
    public void ControlPlaneIs(Uri address, string? certificateFile) => _controlPlane.TrySetResult((address, certificateFile));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (address, certificate) = await _controlPlane.Task.WaitAsync(stoppingToken);
        using var docker = SwarmDockerClient.Create(_swarm);
        using var timer = new PeriodicTimer(_options.CheckInterval);
        do
        {
            try
            {
                var service = await EnsureAsync(docker, address, certificate, stoppingToken);
                _lastProblem = null;
                await ReportFailedTasksAsync(docker, service, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Whatever keeps the routers' service from being made (the engine, a certificate file, a token) is said
                // and tried again at the next check: it must not stop the server, whose API and engine go on.
                var problem = exception is DockerApiException api ? api.ResponseBody?.Trim() ?? api.Message : exception.Message;
                Log.EnsureFailed(_logger, SwarmRouterSpec.ServiceName(_swarm.Owner), problem);
                if (problem != _lastProblem)
                {
                    _lastProblem = problem;
                    await _events.AppendAsync("router.service_failed", null, null, null, $"the routers' Swarm service could not be made: {problem}", stoppingToken);
                }
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    /// <summary>Creates or updates the routers' service as needed; returns its id.</summary>
    private async Task<string> EnsureAsync(IDockerClient docker, Uri address, string? certificate, CancellationToken cancellationToken)
    {
        var tokenFile = await RouterToken.EnsureAsync(_tokens, _directory, "router-swarm", cancellationToken);
        var existingSecrets = (await docker.Secrets.ListAsync(cancellationToken)).ToList();
        var token = await EnsureSecretAsync(docker, existingSecrets, "token", await File.ReadAllBytesAsync(tokenFile, cancellationToken), cancellationToken);
        var ca = certificate is null ? null : await EnsureSecretAsync(docker, existingSecrets, "ca", await File.ReadAllBytesAsync(certificate, cancellationToken), cancellationToken);
        var spec = SwarmRouterSpec.Build(new SwarmRouterSettings(_options.Image, address, token, ca, _swarm.Owner));
        var name = SwarmRouterSpec.ServiceName(_swarm.Owner);

        var services = await docker.Swarm.ListServicesAsync(cancellationToken: cancellationToken);
        var current = services.FirstOrDefault(s => s.Spec?.Name == name);
        if (current is null)
        {
            var created = await docker.Swarm.CreateServiceAsync(new Models.ServiceCreateParameters { Service = spec }, cancellationToken);
            current = new Models.SwarmService { ID = created.ID ?? name };
            Log.Created(_logger, name, _options.Image);
            await _events.AppendAsync("router.service_created", null, null, null, $"routers: Swarm service {name} created (mode global, host network, image {_options.Image}, following {address})", cancellationToken);
        }
        else if (LabelOf(current.Spec?.Labels, SwarmRouterSpec.SpecLabel) != spec.Labels[SwarmRouterSpec.SpecLabel])
        {
            await docker.Swarm.UpdateServiceAsync(current.ID, new Models.ServiceUpdateParameters { Service = spec, Version = (long)(current.Version?.Index ?? 0) }, cancellationToken);
            Log.Updated(_logger, name, _options.Image);
            await _events.AppendAsync("router.service_updated", null, null, null, $"routers: Swarm service {name} updated (image {_options.Image}, following {address}); Swarm replaces each node's router in turn", cancellationToken);
        }
        else
        {
            return current.ID ?? name;
        }

        // Older versions of the routers' secrets go once no task uses them (Swarm refuses the removal before).
        foreach (var old in existingSecrets.Where(s => IsRouterSecret(s) && s.ID != token.ID && s.ID != ca?.ID))
        {
            try
            {
                await docker.Secrets.DeleteAsync(old.ID, cancellationToken);
            }
            catch (DockerApiException)
            {
            }
        }

        return current.ID ?? name;
    }

    /// <summary>
    /// A router task Swarm could not run (an image missing on a node, a node without the volume driver, …): an event
    /// naming the node and Swarm's reason, once per node and reason — such a router never shows in `berth router ls`.
    /// </summary>
    private async Task ReportFailedTasksAsync(IDockerClient docker, string service, CancellationToken cancellationToken)
    {
        var tasks = await docker.Tasks.ListAsync(
            new Models.TasksListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [service] = true } } },
            cancellationToken);
        var failed = tasks.Where(t => t.Status?.State is Models.TaskState.Rejected or Models.TaskState.Failed && t.Status.Err is { Length: > 0 }).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        var nodes = (await docker.Swarm.ListNodesAsync(cancellationToken)).ToDictionary(n => n.ID, n => n.Description?.Hostname ?? n.ID, StringComparer.Ordinal);
        foreach (var task in failed)
        {
            var node = task.NodeID is { } id && nodes.TryGetValue(id, out var hostname) ? hostname : task.NodeID ?? "?";
            if (_reportedTaskFailures.Add($"{node}\n{task.Status!.Err}"))
            {
                var hint = task.Status.Err!.Contains("image", StringComparison.OrdinalIgnoreCase)
                    ? $"; every node needs the image {_options.Image} (scripts/router-image.sh, then push it to a registry the nodes pull from, or docker save | docker load it on the node)"
                    : "";
                await _events.AppendAsync("router.task_failed", null, null, null, $"routers: Swarm could not run the router on node {node}: {task.Status.Err}{hint}", cancellationToken);
            }
        }
    }

    private async Task<Models.Secret> EnsureSecretAsync(IDockerClient docker, List<Models.Secret> existing, string what, byte[] content, CancellationToken cancellationToken)
    {
        var name = SwarmRouterSpec.SecretName(_swarm.Owner, what, content);
        if (existing.FirstOrDefault(s => s.Spec?.Name == name) is { } found)
        {
            return found;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [SwarmRouterSpec.RoleLabel] = what };
        if (_swarm.Owner is { Length: > 0 } owner)
        {
            labels[SwarmLabels.Owner] = owner;
        }

        var created = await docker.Secrets.CreateAsync(new Models.SwarmSecretSpec { Name = name, Data = content, Labels = labels }, cancellationToken);
        return new Models.Secret { ID = created.ID, Spec = new Models.SwarmSecretSpec { Name = name } };
    }

    private bool IsRouterSecret(Models.Secret secret) =>
        secret.Spec?.Labels is { } labels
        && labels.ContainsKey(SwarmRouterSpec.RoleLabel)
        && LabelOf(labels, SwarmLabels.Owner) == _swarm.Owner;

    private static string? LabelOf(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 810, Level = LogLevel.Information, Message = "Routers: Swarm service {Service} created (image {Image})")]
        public static partial void Created(ILogger logger, string service, string image);

        [LoggerMessage(EventId = 811, Level = LogLevel.Information, Message = "Routers: Swarm service {Service} updated (image {Image})")]
        public static partial void Updated(ILogger logger, string service, string image);

        [LoggerMessage(EventId = 812, Level = LogLevel.Warning, Message = "Routers: Swarm service {Service} could not be made: {Problem}")]
        public static partial void EnsureFailed(ILogger logger, string service, string problem);
    }
}
