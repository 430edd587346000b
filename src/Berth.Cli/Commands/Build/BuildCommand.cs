using Berth.Cli.Compose;
using Berth.Cli.Output;
using Berth.Images;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Build;

/// <summary>
/// `berth build`: builds the images of services with a <c>build:</c> section through the Docker Engine API, in this
/// process (like `docker build`, no Berth server needed), streaming the engine's output; optionally pushes them.
/// </summary>
public sealed class BuildCommand : AsyncCommand<BuildSettings>
{
    private readonly CliEnvironment _cli;

    public BuildCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, BuildSettings settings, CancellationToken cancellationToken)
    {
        var spec = await ComposeInput.LoadAsync(_cli, settings.Files, settings.EnvFiles, cancellationToken).ConfigureAwait(false);
        if (spec is null)
        {
            return ExitCodes.BadInput;
        }

        var (requests, errors) = ImageBuildRequest.Select(spec, settings.Services, ImageBuildRequest.ProjectName(spec, _cli.Variables));
        if (errors.Count > 0)
        {
            throw new CliInputException(errors);
        }

        if (requests.Count == 0)
        {
            ConsoleText.WriteLine(_cli.Error, "No service has a build: section: nothing to build.");
            return ExitCodes.Ok;
        }

        RegistryCredentials? credentials = null;
        if (settings.RegistryUser is { } user)
        {
            var password = (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
            credentials = password.Length > 0
                ? new RegistryCredentials(user, password)
                : throw new CliInputException("--registry-password-stdin: standard input was empty");
        }

        Docker.DotNet.DockerClient docker;
        try
        {
            docker = await DockerEngineConnection.ConnectAsync(_cli.Variables, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineUnreachableException e)
        {
            ErrorPrinter.Print(_cli.Error, e.Message);
            return ExitCodes.Unreachable;
        }

        var extraTags = settings.Tags.ToList();
        if (!settings.NoGitTag
            && await GitCommit.ShortShaAsync(Path.GetDirectoryName(Path.GetFullPath(spec.SourceFiles[0]))!, _cli.Variables, cancellationToken).ConfigureAwait(false) is { } sha)
        {
            extraTags.Insert(0, sha);
        }

        using (docker)
        {
            var builder = new ImageBuilder(docker);
            var progress = new BuildProgressPrinter(_cli.Out);
            foreach (var request in requests)
            {
                ConsoleText.WriteLine(_cli.Out, $"Building {request.Service} → {request.Image}");
                if (await PrepareAsync(docker, spec, request, progress, cancellationToken).ConfigureAwait(false) is { } unprepared)
                {
                    ErrorPrinter.Print(_cli.Error, $"service {request.Service}: build failed: {unprepared}");
                    return ExitCodes.Failed;
                }

                var built = await builder.BuildAsync(request, progress, cancellationToken).ConfigureAwait(false);
                if (!built.Succeeded)
                {
                    ErrorPrinter.Print(_cli.Error, $"service {request.Service}: build failed: {built.Error}");
                    return ExitCodes.Failed;
                }

                ConsoleText.WriteLine(_cli.Out, $"Built {request.Service}: {request.Image}");
                var images = new List<string> { request.Image };
                foreach (var tag in extraTags)
                {
                    var reference = ImageReference.Parse(request.Image);
                    await docker.Images.TagImageAsync(
                        request.Image, new Docker.DotNet.Models.ImageTagParameters { RepositoryName = reference.Name, Tag = tag }, cancellationToken).ConfigureAwait(false);
                    images.Add($"{reference.Name}:{tag}");
                    ConsoleText.WriteLine(_cli.Out, $"Tagged {request.Service}: {reference.Name}:{tag}");
                }

                if (settings.Push)
                {
                    foreach (var image in images)
                    {
                        var pushed = await PushAsync(builder, request with { Image = image }, credentials, progress, cancellationToken).ConfigureAwait(false);
                        if (!pushed.Succeeded)
                        {
                            ErrorPrinter.Print(_cli.Error, $"service {request.Service}: push of {image} failed: {pushed.Error}");
                            return ExitCodes.Failed;
                        }
                    }

                    var digest = await PushedDigestAsync(docker, request.Image, cancellationToken).ConfigureAwait(false);
                    ConsoleText.WriteLine(_cli.Out, $"Pushed {request.Service}: {string.Join(", ", images)}" + (digest is null ? "" : $" (digest {digest})"));
                }
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>The manifest digest the registry gave for <paramref name="image"/>'s repository, as the engine recorded it at push.</summary>
    private static async Task<string?> PushedDigestAsync(Docker.DotNet.DockerClient docker, string image, CancellationToken cancellationToken)
    {
        var name = ImageReference.Parse(image).Name;
        var inspected = await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        return inspected.RepoDigests?.FirstOrDefault(d => d.StartsWith(name + "@", StringComparison.Ordinal)) is { } repoDigest
            ? repoDigest[(name.Length + 1)..]
            : null;
    }

    /// <summary>
    /// What the image is built from: the service's artifact (x-berth.artifact.command, run in the context), then the
    /// Berth base images its Dockerfile starts FROM, made when missing. Null when ready, else why not.
    /// </summary>
    private static async Task<string?> PrepareAsync(
        Docker.DotNet.DockerClient docker, Berth.Spec.ComposeSpec spec, ImageBuildRequest request, BuildProgressPrinter progress, CancellationToken cancellationToken)
    {
        if (request.Artifact is { } artifact
            && await ArtifactCommand.RunAsync(request.Service, request.Build, artifact, progress, cancellationToken).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        var searchFrom = spec.SourceFiles.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Append(AppContext.BaseDirectory).ToList();
        return await BaseImages.EnsureAsync(
            docker, Path.Combine(request.Build.Context, request.Dockerfile), searchFrom, request.Service, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImageOperationResult> PushAsync(
        ImageBuilder builder, ImageBuildRequest request, RegistryCredentials? credentials, BuildProgressPrinter progress, CancellationToken cancellationToken)
    {
        var registry = ImageReference.Parse(request.Image).RegistryOrDefault;
        try
        {
            credentials ??= await RegistryCredentials.ForPushAsync(registry, _cli.Variables, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new CliInputException(e.Message);
        }

        ConsoleText.WriteLine(_cli.Out, $"Pushing {request.Image} to {registry}" + (credentials is null ? "" : $" as {credentials.Username}"));
        return await builder.PushAsync(request.Service, request.Image, credentials, progress, cancellationToken).ConfigureAwait(false);
    }
}
