using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Deploy;

/// <summary>`berth deploy -c FILE [-c FILE...] [--env-file F...] [--prune] [--with-registry-auth] [--detach] [--timeout T] [--json] STACK`.</summary>
public sealed class DeploySettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack name; services become STACK_SERVICE.")]
    public string Stack { get; init; } = string.Empty;

    [CommandOption("-c|--compose-file|--file <FILE>")]
    [Description("Compose file; repeat to merge (base first, overrides after).")]
    public string[] Files { get; init; } = [];

    [CommandOption("--env-file <FILE>")]
    [Description("Variables for interpolation; repeatable. Default: .env beside the first file.")]
    public string[] EnvFiles { get; init; } = [];

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("Deploy this environment of the files' x-berth.environments (its overrides applied, BERTH_ENVIRONMENT set) as the stack STACK-ENVIRONMENT; refused for an environment whose entry is manual (berth release create + berth approve).")]
    public string? Environment { get; init; }

    [CommandOption("--prune")]
    [Description("Remove the stack's services that are no longer in the files (as docker stack deploy --prune).")]
    public bool Prune { get; init; }

    [CommandOption("--with-registry-auth")]
    [Description("Send this machine's registry logins for the stack's images to the server, which keeps them (encrypted) to pull with (as docker stack deploy --with-registry-auth).")]
    public bool WithRegistryAuth { get; init; }

    [CommandOption("--build")]
    [Description("Run each x-berth.artifact command first even when its output exists (as docker compose up --build); without it, only a missing output is built.")]
    public bool Build { get; init; }

    [CommandOption("-d|--detach")]
    [Description("Return once the server accepted the deploy, without waiting for healthy replicas.")]
    public bool Detach { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description("How long to wait for healthy replicas (and pruned services to be gone): seconds, or with a unit (90s, 5m). Default 120s.")]
    [DefaultValue("120s")]
    public string Timeout { get; init; } = "120s";

    [CommandOption("--json")]
    [Description("Print the DeployResponse as JSON (progress then goes to stderr).")]
    public bool Json { get; init; }

    /// <summary>The parsed --timeout.</summary>
    public TimeSpan TimeoutSpan => Duration.TryParse(Timeout, out var value) ? value : TimeSpan.FromSeconds(120);

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Stack))
        {
            problems.Add("STACK is required.");
        }

        if (Files.Length == 0)
        {
            problems.Add("Give at least one compose file with -c FILE.");
        }

        if (!Duration.TryParse(Timeout, out var timeout) || timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout: '{Timeout}' is not a positive duration such as 120, 90s or 5m.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(System.Environment.NewLine, problems)) : base.Validate();
    }
}
