using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Commands.Deploy;
using Berth.Cli.Compose;
using Berth.Cli.Output;
using Berth.Spec;

namespace Berth.Cli.Commands.Environments;

/// <summary>
/// `berth release create`: loads the files once per environment they declare (with BERTH_ENVIRONMENT set), builds and
/// uploads process artifacts as a deploy does, and sends them as one immutable stack release, which enters the first
/// environment. Nothing is sent unless every environment's files are valid.
/// </summary>
public sealed class ReleaseCreateCommand : ApiCommand<ReleaseCreateSettings>
{
    public ReleaseCreateCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ReleaseCreateSettings settings, CancellationToken cancellationToken)
    {
        var first = await ComposeInput.LoadAsync(Cli, settings.Files, settings.EnvFiles, readSecretContents: false, cancellationToken).ConfigureAwait(false);
        if (first?.Spec is not { } spec)
        {
            return ExitCodes.BadInput;
        }

        if (spec.Environments.Count == 0)
        {
            ErrorPrinter.Print(Cli.Error, $"{string.Join(", ", settings.Files)}: the files declare no environments: add x-berth.environments (dev, staging, prod…), see docs/concepts/environments.md");
            return ExitCodes.BadInput;
        }

        var people = settings.Json ? Cli.Error : Cli.Out;
        var specs = new Dictionary<string, ComposeSpec>(StringComparer.Ordinal);
        var rebuild = settings.Build;   // once: every environment packs the same output
        foreach (var environment in spec.Environments)
        {
            var loaded = await ComposeInput.LoadAsync(Cli, settings.Files, settings.EnvFiles, readSecretContents: false, cancellationToken, environment.Name).ConfigureAwait(false);
            if (loaded?.Spec is not { } environmentSpec)
            {
                ConsoleText.WriteLine(Cli.Error, $"(loading the files for environment {environment.Name}, with BERTH_ENVIRONMENT={environment.Name})", Tint.Red);
                return ExitCodes.BadInput;
            }

            specs[environment.Name] = await ArtifactUploader.PrepareAsync(client, environmentSpec, rebuild, people, cancellationToken).ConfigureAwait(false);
            rebuild = false;
        }

        var release = await client.CreateStackReleaseAsync(
            settings.Stack,
            new StackReleaseRequest(specs) { Version = settings.Version, Message = settings.Message },
            cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, release);
            return ExitCodes.Ok;
        }

        var version = release.Version is { } v ? $" ({v})" : "";
        var entry = spec.Environments[0].Entry == EntryModes.Manual ? "waits for approval to enter" : "enters";
        ConsoleText.WriteLine(people, $"Stack release {release.Number}{version} of {release.Stack} created; it {entry} {release.Environments[0]}.");
        ConsoleText.WriteLine(people, $"Pipeline: {string.Join(" → ", spec.Environments.Select(e => e.Entry == EntryModes.Manual ? $"{e.Name} (approval)" : e.Name))}. Follow it with `berth env ls {release.Stack}`.");
        return ExitCodes.Ok;
    }
}
