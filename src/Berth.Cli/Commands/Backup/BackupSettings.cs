using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Backup;

/// <summary>`berth backup FILE`.</summary>
public sealed class BackupSettings : ApiCommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("Where to write the copy of the store (made owner-only: it holds secrets and token hashes). Overwritten if it exists.")]
    public string File { get; init; } = "";

    public override ValidationResult Validate()
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(File));
        return folder is not null && !Directory.Exists(folder)
            ? ValidationResult.Error($"FILE {File}: no such folder {folder}.")
            : base.Validate();
    }
}
