namespace Berth.Cli.Connection;

/// <summary>The CLI's own settings file (config.json in the config folder): the contexts and which one is current.</summary>
public sealed record CliConfig
{
    public string? CurrentContext { get; init; }

    public IReadOnlyList<CliContext> Contexts { get; init => field = value ?? []; } = [];

    public CliContext? Find(string name) => Contexts.FirstOrDefault(c => c.Name == name);
}
