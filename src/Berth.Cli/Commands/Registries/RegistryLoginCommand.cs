using Berth.Cli.Output;
using Berth.Images;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Registries;

/// <summary>
/// `berth registry login`: checks the login with the registry (no engine needed), then keeps it where docker would —
/// through docker's credential helper for that registry when config.json names one, else in Berth's registries.json
/// (0600). The password is read from standard input and never printed.
/// </summary>
public sealed class RegistryLoginCommand : AsyncCommand<RegistryLoginSettings>
{
    private readonly CliEnvironment _cli;

    public RegistryLoginCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, RegistryLoginSettings settings, CancellationToken cancellationToken)
    {
        var registry = RegistryName.Normalize(settings.Registry);
        var password = (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        if (password.Length == 0)
        {
            throw new CliInputException("--password-stdin: standard input was empty");
        }

        var credentials = new RegistryCredentials(settings.Username!, password);
        try
        {
            if (await RegistryProbe.RefusalAsync(registry, credentials, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                ErrorPrinter.Print(_cli.Error, $"registry {registry} refused the credentials for user {credentials.Username} ({refusal}); nothing was saved");
                return ExitCodes.Failed;
            }
        }
        catch (RegistryUnreachableException e)
        {
            ErrorPrinter.Print(_cli.Error, e.Message + "; nothing was saved");
            return ExitCodes.Failed;
        }

        string where;
        try
        {
            if (DockerConfigFile.Read(_cli.Variables).HelperFor(registry) is { } helper)
            {
                await helper.StoreAsync(registry, credentials, cancellationToken).ConfigureAwait(false);
                where = $"by the credential helper {helper.Program}";
            }
            else
            {
                var file = new RegistryLoginFile(RegistryLoginFile.FolderOf(_cli.Variables));
                file.Save(registry, credentials);
                where = $"in {file.FilePath} (mode 0600)";
            }
        }
        catch (InvalidOperationException e)
        {
            ErrorPrinter.Print(_cli.Error, e.Message);
            return ExitCodes.Failed;
        }

        ConsoleText.WriteLine(_cli.Out, $"Login Succeeded: {credentials.Username} at {registry}, kept {where}");
        return ExitCodes.Ok;
    }
}
