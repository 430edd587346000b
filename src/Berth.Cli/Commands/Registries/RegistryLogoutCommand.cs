using Berth.Cli.Output;
using Berth.Images;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Registries;

/// <summary>`berth registry logout`: forgets the login where `registry login` kept it (Berth's file, or the credential helper).</summary>
public sealed class RegistryLogoutCommand : AsyncCommand<RegistryLogoutSettings>
{
    private readonly CliEnvironment _cli;

    public RegistryLogoutCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, RegistryLogoutSettings settings, CancellationToken cancellationToken)
    {
        var registry = RegistryName.Normalize(settings.Registry);
        var removed = new List<string>();
        try
        {
            var file = new RegistryLoginFile(RegistryLoginFile.FolderOf(_cli.Variables));
            if (file.Remove(registry))
            {
                removed.Add(file.FilePath);
            }

            var docker = DockerConfigFile.Read(_cli.Variables);
            if (docker.HelperFor(registry) is { } helper && await helper.EraseAsync(registry, cancellationToken).ConfigureAwait(false))
            {
                removed.Add($"the credential helper {helper.Program}");
            }

            if (removed.Count == 0)
            {
                ConsoleText.WriteLine(_cli.Out, $"No login for {registry} was kept by berth");
            }
            else
            {
                ConsoleText.WriteLine(_cli.Out, $"Removed the login for {registry} from {string.Join(" and ", removed)}");
            }

            if (docker.Auths().Any(a => a.Registry == registry))
            {
                ConsoleText.WriteLine(_cli.Error, $"note: {docker.FilePath} still has a login for {registry} (docker logout {registry} removes it)");
            }
        }
        catch (InvalidOperationException e)
        {
            ErrorPrinter.Print(_cli.Error, e.Message);
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }
}
