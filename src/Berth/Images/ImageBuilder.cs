using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Images;

/// <summary>
/// Builds and pushes service images through the Docker Engine API (never the docker CLI): the context is sent as a
/// tar, the engine's JSON message stream comes back as <see cref="BuildProgress"/> lines while it runs, and an
/// <c>error</c> message ends the operation with that message.
/// </summary>
public sealed class ImageBuilder
{
    private readonly IDockerClient _docker;

    public ImageBuilder(IDockerClient docker)
    {
        _docker = docker;
    }

    /// <summary>Builds <paramref name="request"/>'s image and tags it; the result carries the engine's error, if any.</summary>
    public async Task<ImageOperationResult> BuildAsync(ImageBuildRequest request, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.Build.Context;
        if (!Directory.Exists(context))
        {
            return new ImageOperationResult(request.Service, request.Image, $"build context {context} is not a folder");
        }

        if (!File.Exists(Path.Combine(context, request.Dockerfile)))
        {
            return new ImageOperationResult(request.Service, request.Image, $"no Dockerfile at {Path.Combine(context, request.Dockerfile)}");
        }

        var parameters = new ImageBuildParameters
        {
            Tags = [request.Image],
            Dockerfile = request.Dockerfile.Replace('\\', '/'),
            Target = string.IsNullOrEmpty(request.Build.Target) ? null : request.Build.Target,
            BuildArgs = request.Build.Args.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!),
            Remove = true,
            ForceRemove = true,
        };
        var watcher = new MessageWatcher(request.Service, progress);
        try
        {
            await using var archive = await BuildContextArchive.CreateAsync(context, request.Dockerfile, cancellationToken).ConfigureAwait(false);
            await _docker.Images.BuildImageFromDockerfileAsync(
                parameters, archive, [], new Dictionary<string, string>(), watcher, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            watcher.Report(new JSONMessage { Error = new JSONError { Message = EngineMessage(e) } });
        }

        return new ImageOperationResult(request.Service, request.Image, watcher.Error);
    }

    /// <summary>
    /// Pushes <paramref name="image"/> (already tagged) to its registry, with <paramref name="credentials"/> in the
    /// X-Registry-Auth header when given. A registry that refuses them gives a one-line error naming registry and user.
    /// </summary>
    public async Task<ImageOperationResult> PushAsync(
        string service, string image, RegistryCredentials? credentials, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(image);
        var auth = credentials is null
            ? new AuthConfig()
            : new AuthConfig { Username = credentials.Username, Password = credentials.Password, ServerAddress = reference.RegistryOrDefault };
        var watcher = new MessageWatcher(service, progress);
        try
        {
            await _docker.Images.PushImageAsync(reference.Name, new ImagePushParameters { Tag = reference.Tag }, auth, watcher, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            watcher.Report(new JSONMessage { Error = new JSONError { Message = EngineMessage(e) } });
        }

        var error = watcher.Error;
        if (error is not null && IsAuthenticationError(error))
        {
            error = credentials is null
                ? $"registry {reference.RegistryOrDefault} requires credentials: `berth registry login {reference.RegistryOrDefault} -u USER --password-stdin`, BERTH_REGISTRY_USER and BERTH_REGISTRY_PASSWORD, --registry-user with --registry-password-stdin, or `docker login {reference.RegistryOrDefault}` ({error})"
                : $"registry {reference.RegistryOrDefault} refused the credentials for user {credentials.Username} ({error})";
        }

        return new ImageOperationResult(service, image, error);
    }

    private static bool IsAuthenticationError(string error) =>
        error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
        || error.Contains("authentication required", StringComparison.OrdinalIgnoreCase)
        || error.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase)
        || error.Contains("401", StringComparison.Ordinal);

    /// <summary>The engine's own message from an API error body ({"message":"..."}), else the exception's text.</summary>
    private static string EngineMessage(DockerApiException e)
    {
        var body = e.ResponseBody;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            catch (System.Text.Json.JsonException)
            {
                return body.Trim();
            }
        }

        return e.Message;
    }

    /// <summary>
    /// Turns the engine's messages into progress lines as they arrive (synchronously, so lines keep their order) and
    /// remembers the first error.
    /// </summary>
    private sealed class MessageWatcher : IProgress<JSONMessage>
    {
        private readonly string _service;
        private readonly IProgress<BuildProgress> _progress;

        public MessageWatcher(string service, IProgress<BuildProgress> progress)
        {
            _service = service;
            _progress = progress;
        }

        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error is { Message: { Length: > 0 } message })
            {
                Error ??= message.Trim();
                _progress.Report(new BuildProgress(_service, BuildProgressKind.Error, message.Trim()));
                return;
            }

            if (!string.IsNullOrEmpty(value.Stream))
            {
                foreach (var line in value.Stream.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    _progress.Report(new BuildProgress(_service, BuildProgressKind.Output, line));
                }
            }
            else if (!string.IsNullOrEmpty(value.Status))
            {
                // Byte-level progress ("Pushing [==>  ]") would flood a log: it is a Transfer, which only a live view shows.
                var layer = string.IsNullOrEmpty(value.ID) ? null : value.ID;
                var text = layer is null ? value.Status : $"{layer}: {value.Status}";
                var transfer = value.Progress is { Total: > 0 };
                _progress.Report(new BuildProgress(_service, transfer ? BuildProgressKind.Transfer : BuildProgressKind.Status, text)
                {
                    Layer = layer,
                    State = value.Status,
                    Current = transfer ? value.Progress!.Current : null,
                    Total = transfer ? value.Progress!.Total : null,
                });
            }
        }
    }
}
