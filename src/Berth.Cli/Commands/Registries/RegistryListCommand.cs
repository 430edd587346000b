using Berth.Cli.Output;
using Berth.Images;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Registries;

/// <summary>
/// `berth registry ls`: every registry login this CLI can push with, from every source, in the order it would use
/// them (environment, Berth's file, docker's credential helpers, docker's auths), with the user and the source; never a
/// password or a token.
/// </summary>
public sealed class RegistryListCommand : AsyncCommand<RegistryListSettings>
{
    private readonly CliEnvironment _cli;

    public RegistryListCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, RegistryListSettings settings, CancellationToken cancellationToken)
    {
        var rows = new List<RegistryLoginRow>();
        if (RegistryCredentialChain.HalfSetProblem(_cli.Variables) is { } halfSet)
        {
            ConsoleText.WriteLine(_cli.Error, $"warning: {halfSet}; pushes fail until then", Tint.Yellow);
        }

        string? Variable(string name) => _cli.Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        if (Variable("BERTH_REGISTRY_USER") is { } user && Variable("BERTH_REGISTRY_PASSWORD") is not null)
        {
            rows.Add(new RegistryLoginRow("(any)", user, "environment (BERTH_REGISTRY_USER, BERTH_REGISTRY_PASSWORD)"));
        }

        if (Variable("CR_PAT") is not null)
        {
            rows.Add(new RegistryLoginRow("ghcr.io", Variable("BERTH_REGISTRY_USER") ?? Variable("GITHUB_ACTOR") ?? "(set BERTH_REGISTRY_USER)", "environment (CR_PAT)"));
        }

        try
        {
            var file = new RegistryLoginFile(RegistryLoginFile.FolderOf(_cli.Variables));
            if (file.ReadableByOthers() is { } mode)
            {
                ConsoleText.WriteLine(_cli.Error, $"warning: {file.FilePath} holds passwords and other users can read it (mode {mode}): chmod 600 {file.FilePath}", Tint.Yellow);
            }

            rows.AddRange(file.List().Select(l => new RegistryLoginRow(l.Registry, l.Username, $"berth ({file.FilePath})")));
            var docker = DockerConfigFile.Read(_cli.Variables);
            foreach (var helper in docker.Helpers())
            {
                foreach (var (url, name) in await helper.ListAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(new RegistryLoginRow(RegistryName.Normalize(url), name, $"credential helper {helper.Name}"));
                }
            }

            rows.AddRange(docker.Auths().Select(a => new RegistryLoginRow(a.Registry, a.Credentials.Username, $"docker config ({docker.FilePath})")));
        }
        catch (InvalidOperationException e)
        {
            ErrorPrinter.Print(_cli.Error, e.Message);
            return ExitCodes.Failed;
        }

        if (settings.Json)
        {
            ConsoleText.WriteJson(_cli.Out, rows);
            return ExitCodes.Ok;
        }

        Table.Write(_cli.Out, rows);
        return ExitCodes.Ok;
    }

    private static ListTable<RegistryLoginRow> Table { get; } = new(
        new ListColumn<RegistryLoginRow>("REGISTRY", "Registry", r => r.Registry),
        new ListColumn<RegistryLoginRow>("USER", "Username", r => r.Username),
        new ListColumn<RegistryLoginRow>("SOURCE", "Source", r => r.Source));
}
