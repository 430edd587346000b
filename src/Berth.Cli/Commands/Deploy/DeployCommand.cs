using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Compose;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Deploy;

/// <summary>
/// `berth deploy`: validates compose files locally, sends the spec, then waits for healthy replicas and for pruned
/// services to be gone (unless --detach).
/// </summary>
public sealed class DeployCommand : ApiCommand<DeploySettings>
{
    public DeployCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, DeploySettings settings, CancellationToken cancellationToken)
    {
        // Checked here rather than in DeploySettings.Validate, which holds only deploy's options; before any file is read.
        if (NameArguments.StackProblem("STACK", settings.Stack) is { } invalid)
        {
            throw new CliInputException(invalid);
        }

        // Nothing is sent unless the whole spec is valid.
        // Secret files and variables are read here, on the deploying machine (as docker stack deploy does), and sent.
        var loaded = await ComposeInput.LoadAsync(Cli, settings.Files, settings.EnvFiles, readSecretContents: true, cancellationToken, settings.Environment).ConfigureAwait(false);
        if (loaded?.Spec is not { } spec)
        {
            return ExitCodes.BadInput;
        }

        spec = await ArtifactUploader.PrepareAsync(client, spec, settings.Build, settings.Json ? Cli.Error : Cli.Out, cancellationToken).ConfigureAwait(false);
        var request = new DeployRequest(spec)
        {
            SecretContents = loaded.SecretContents.Count == 0 ? null : loaded.SecretContents,
            Prune = settings.Prune,
            RegistryLogins = settings.WithRegistryAuth ? await RegistryLoginsAsync(spec, cancellationToken).ConfigureAwait(false) : null,
            Environment = settings.Environment,
        };
        var response = await client.DeployAsync(settings.Stack, request, cancellationToken).ConfigureAwait(false);

        // The runtime's warnings go where the compose loader's went (stderr, yellow), whatever the output format.
        ErrorPrinter.Print(Cli.Error, response.Warnings);

        // With --json stdout carries only the DeployResponse; everything for people goes to stderr.
        var people = settings.Json ? Cli.Error : Cli.Out;
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, response);
        }
        else
        {
            foreach (var line in response.Services.Select(Describe).Concat(DescribeUnlisted(response)))
            {
                ConsoleText.WriteLine(people, line);
            }
        }

        var changed = response.Services.Where(s => s.Changed).ToDictionary(s => s.Service, s => s.Release, StringComparer.Ordinal);
        if (settings.Detach || (changed.Count == 0 && response.Pruned.Count == 0))
        {
            return ExitCodes.Ok;
        }

        var watcher = new RolloutWatcher(client, Cli.Time, Cli.RolloutPollInterval);
        var outcome = await RolloutDisplay.RunAsync(
            people,
            onProgress => watcher.WaitAsync(response.Stack, changed, response.Pruned, settings.TimeoutSpan, onProgress, cancellationToken)).ConfigureAwait(false);
        return Report(outcome, settings, response.Stack);
    }

    /// <summary>
    /// --with-registry-auth: this machine's login for each registry the stack's images come from (the same sources as
    /// berth build --push), to send with the deploy; a registry without one gets a warning, and its images are pulled
    /// with whatever the server has.
    /// </summary>
    private async Task<IReadOnlyList<RegistryLoginRequest>> RegistryLoginsAsync(Berth.Spec.ComposeSpec spec, CancellationToken cancellationToken)
    {
        var logins = new List<RegistryLoginRequest>();
        var registries = spec.Services.Values
            .Where(s => s.Image is { Length: > 0 })
            .Select(s => Berth.Images.ImageReference.Parse(s.Image!).RegistryOrDefault)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var registry in registries)
        {
            Berth.Images.RegistryCredentials? credentials;
            try
            {
                credentials = await Berth.Images.RegistryCredentials.ForPushAsync(registry, Cli.Variables, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new CliInputException(e.Message);
            }

            if (credentials is null)
            {
                ConsoleText.WriteLine(Cli.Error, $"warning: --with-registry-auth: no login for registry {registry} on this machine; the server pulls with its own", Tint.Yellow);
                continue;
            }

            logins.Add(new RegistryLoginRequest(registry, credentials.Username, credentials.Password));
        }

        return logins;
    }

    /// <summary>"articles_worker is not in the files; kept (use --prune to remove it)", "Removing service articles_worker".</summary>
    public static IEnumerable<string> DescribeUnlisted(DeployResponse response) =>
        response.Kept.Select(s => $"{s} is not in the files; kept (use --prune to remove it)")
            .Concat(response.Pruned.Select(s => $"Removing service {s}"));

    /// <summary>"Creating service articles_app (release 1)", "Updating service ... (release 2): summary", "articles_app unchanged".</summary>
    public static string Describe(ServiceDeployResult result)
    {
        if (!result.Changed)
        {
            return $"{result.Service} unchanged";
        }

        return result.Release <= 1
            ? $"Creating service {result.Service} (release {result.Release})"
            : $"Updating service {result.Service} (release {result.Release})" + (string.IsNullOrEmpty(result.Summary) ? string.Empty : $": {result.Summary}");
    }

    private int Report(RolloutOutcome outcome, DeploySettings settings, string stack)
    {
        switch (outcome.Result)
        {
            case RolloutResult.Healthy:
                foreach (var waiting in outcome.Services.Where(s => s.AwaitingPromotion))
                {
                    ConsoleText.WriteLine(settings.Json ? Cli.Error : Cli.Out, $"{waiting.Service}: {waiting.Rollout!.Reason}");
                }

                ConsoleText.WriteLine(
                    settings.Json ? Cli.Error : Cli.Out,
                    outcome.Services.Any(s => s.AwaitingPromotion)
                        ? $"Stack {stack} deployed; waiting for `berth promote` (follow with `berth rollout status SERVICE --watch`)."
                        : outcome.Services.Any(s => s.Removal is not null)
                        ? $"Stack {stack} deployed: every service is healthy, the pruned ones are gone."
                        : $"Stack {stack} deployed: every service is healthy.");
                return ExitCodes.Ok;

            case RolloutResult.Failed:
                foreach (var failed in outcome.Services.Where(s => s.Failed))
                {
                    ErrorPrinter.Print(Cli.Error, failed.FailureMessage);
                }

                return ExitCodes.Failed;

            default:
                ErrorPrinter.Print(Cli.Error, $"timed out after {settings.Timeout} waiting for healthy replicas:");
                foreach (var missing in outcome.Services.Where(s => !s.Done))
                {
                    ConsoleText.WriteLine(Cli.Error, $"  {RolloutDisplay.Line(missing)}");
                }

                return ExitCodes.Failed;
        }
    }
}
