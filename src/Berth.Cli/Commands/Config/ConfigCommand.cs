using Berth.Cli.Compose;
using Berth.Cli.Output;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Config;

/// <summary>`berth config`: loads and validates compose files locally, prints the normalized result (no server needed).</summary>
public sealed class ConfigCommand : AsyncCommand<ConfigSettings>
{
    private readonly CliEnvironment _cli;

    public ConfigCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, ConfigSettings settings, CancellationToken cancellationToken)
    {
        var spec = await ComposeInput.LoadAsync(_cli, settings.Files, settings.EnvFiles, cancellationToken).ConfigureAwait(false);
        if (spec is null)
        {
            return ExitCodes.BadInput;
        }

        if (settings.Json)
        {
            ConsoleText.WriteJson(_cli.Out, spec);
        }
        else
        {
            ConsoleText.WriteLine(_cli.Out, _cli.ComposeLoading.WriteYaml(spec).TrimEnd('\n'));
        }

        return ExitCodes.Ok;
    }
}
