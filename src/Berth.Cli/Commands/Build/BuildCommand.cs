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
                if (settings.Push)
                {
                    var pushed = await PushAsync(builder, request, credentials, progress, cancellationToken).ConfigureAwait(false);
                    if (!pushed.Succeeded)
                    {
                        ErrorPrinter.Print(_cli.Error, $"service {request.Service}: push of {request.Image} failed: {pushed.Error}");
                        return ExitCodes.Failed;
                    }

                    ConsoleText.WriteLine(_cli.Out, $"Pushed {request.Service}: {request.Image}");
                }
            }
        }

        return ExitCodes.Ok;
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
            credentials ??= await RegistryCredentials.FromDockerConfigAsync(registry, _cli.Variables, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new CliInputException(e.Message);
        }

        ConsoleText.WriteLine(_cli.Out, $"Pushing {request.Image} to {registry}" + (credentials is null ? "" : $" as {credentials.Username}"));
        return await builder.PushAsync(request.Service, request.Image, credentials, progress, cancellationToken).ConfigureAwait(false);
    }
}
