using System.Net;
using Berth.Images;
using Berth.Spec;
using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// Pins a service's image at deploy, as <c>docker stack deploy --resolve-image always</c>: the manager pulls the tag
/// (with the registry login replicas would use), and the release pins the digest the registry gave for it. An image no
/// registry has (built here and never pushed) pins this engine's image ID, with a warning; an image neither a registry
/// nor this engine has stays unpinned, with a warning, and its replicas fail to start saying why, as before.
/// </summary>
public sealed partial class SwarmRuntimeDriver : IImagePinner, IRegistryLoginCheck
{
    public Task<string?> RefusalAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        _registryAuth.RefusalAsync(RegistryName.Normalize(registry), credentials, cancellationToken);

    private static readonly TimeSpan PullTimeout = TimeSpan.FromSeconds(60);

    public async Task<ImagePin> PinAsync(ServiceSpec service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (service.Image is not { Length: > 0 } image)
        {
            return ImagePin.None;
        }

        if (image.Contains('@', StringComparison.Ordinal) || ImagePin.IsLocalImageId(image))
        {
            return new ImagePin(image);
        }

        var reference = ImageReference.Parse(image);
        Models.AuthConfig? auth;
        try
        {
            auth = await _registryAuth.ForImageAsync(service.Name, image, cancellationToken).ConfigureAwait(false);
        }
        catch (SwarmStartException e)
        {
            var prefix = $"service {service.Name}: ";
            return new ImagePin(null, Problem: e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message);
        }

        var pullError = await PullAsync(reference, auth, cancellationToken).ConfigureAwait(false);
        var local = await InspectLocalAsync(image, cancellationToken).ConfigureAwait(false);
        if (local is null)
        {
            return new ImagePin(
                null,
                Warning: $"{image} is not pinned: registry {reference.RegistryOrDefault} did not give it ({pullError}) " +
                         "and this engine does not have it; its replicas cannot start until it is pushed (berth build --push) or built here");
        }

        if (local.RepoDigests?.FirstOrDefault(d => SameRepository(d, reference)) is { } repoDigest)
        {
            var pinned = $"{image}@{repoDigest[(repoDigest.IndexOf('@', StringComparison.Ordinal) + 1)..]}";
            return pullError is null
                ? new ImagePin(pinned)
                : new ImagePin(
                    pinned,
                    Warning: $"registry {reference.RegistryOrDefault} could not be asked for {image} ({pullError}); " +
                             $"pinned to the digest this engine last pulled or pushed for it, {ImagePin.Short(ImagePin.DigestOf(pinned)!)}");
        }

        return new ImagePin(
            local.ID,
            Warning: $"{image} was never pushed to a registry ({pullError}); the release is pinned to this " +
                     $"engine's image ID {ImagePin.Short(local.ID)}, which only nodes that have this image can run: push it (berth build --push) to pin a registry digest");
    }

    /// <summary>Pulls the tag; null when it worked, else the registry's or engine's reason.</summary>
    private async Task<string?> PullAsync(ImageReference reference, Models.AuthConfig? auth, CancellationToken cancellationToken)
    {
        var errors = new FirstError();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PullTimeout);
        try
        {
            await _docker.Images.CreateImageAsync(
                new Models.ImagesCreateParameters { FromImage = reference.Name, Tag = reference.Tag }, auth ?? new Models.AuthConfig(), errors, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            return ErrorOf(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {PullTimeout.TotalSeconds:0} s";
        }

        return errors.Message;
    }

    private async Task<Models.ImageInspectResponse?> InspectLocalAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await _docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Whether a RepoDigests entry (<c>NAME@sha256:…</c>) is for <paramref name="reference"/>'s repository.</summary>
    private static bool SameRepository(string repoDigest, ImageReference reference)
    {
        var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return false;
        }

        var name = repoDigest[..at];
        return name == reference.Name
            || (reference.Registry is null && (name == "docker.io/" + reference.Repository || name == "docker.io/library/" + reference.Repository));
    }

    /// <summary>Keeps the first error of the engine's pull stream (reported synchronously, in order).</summary>
    private sealed class FirstError : IProgress<Models.JSONMessage>
    {
        public string? Message { get; private set; }

        public void Report(Models.JSONMessage value)
        {
            if (value.Error is { Message: { Length: > 0 } message })
            {
                Message ??= message.Trim();
            }
        }
    }
}
