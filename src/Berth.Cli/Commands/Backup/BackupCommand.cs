using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Backup;

/// <summary>
/// `berth backup FILE`: a consistent copy of the server's store (SQLite's online backup, taken while it runs), to put
/// back with `berth server --restore FILE`.
/// </summary>
public sealed class BackupCommand : ApiCommand<BackupSettings>
{
    public BackupCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, BackupSettings settings, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(settings.File);
        var size = await client.DownloadBackupAsync(path, cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, string.Create(CultureInfo.InvariantCulture, $"Store backed up to {path} ({size / 1024.0:0.#} KiB). Restore it with `berth server --restore {path}` (the server stopped first)."));
        return ExitCodes.Ok;
    }
}
