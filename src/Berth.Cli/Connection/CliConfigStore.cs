using System.Text.Json;
using Berth.Api;
using Berth.Cli.Json;
using Berth.Security;

namespace Berth.Cli.Connection;

/// <summary>
/// Reads and writes <see cref="CliConfig"/> in <c>$BERTH_CONFIG</c>, else <c>$XDG_CONFIG_HOME/berth</c>, else
/// <c>~/.config/berth</c>. The file may hold tokens: it is written 0600 (folder 0700), and reading one that others
/// can read gives a warning.
/// </summary>
public sealed class CliConfigStore
{
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions Json = CliJson.GeneratedOnly(new(ApiJson.Options) { WriteIndented = true });

    public CliConfigStore(IReadOnlyDictionary<string, string> variables)
    {
        Directory = FolderOf(variables);
        FilePath = Path.Combine(Directory, FileName);
    }

    public string Directory { get; }

    public string FilePath { get; }

    /// <summary>The config (empty when there is no file); <paramref name="warning"/> when its permissions let others read it.</summary>
    public CliConfig Load(out string? warning)
    {
        warning = null;
        if (!File.Exists(FilePath))
        {
            return new CliConfig();
        }

        warning = FilePermissions.OthersCanRead(FilePath) is { } mode
            ? $"{FilePath} can be read by other users (mode {mode}); it may hold tokens: chmod 600 {FilePath}"
            : null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), Json.Info<CliConfig>()) ?? new CliConfig();
        }
        catch (JsonException exception)
        {
            throw new CliInputException($"{FilePath} is not a valid Berth CLI config ({exception.Message}); fix or remove it");
        }
    }

    public void Save(CliConfig config)
    {
        var directory = new DirectoryInfo(Directory);
        if (!directory.Exists)
        {
            if (OperatingSystem.IsWindows())
            {
                directory.Create();
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        OwnerOnlyFile.Write(FilePath, stream => JsonSerializer.Serialize(stream, config, Json.Info<CliConfig>()));
    }

    /// <summary>The CLI's config folder (shared with the registry logins of <see cref="Berth.Images.RegistryLoginFile"/>).</summary>
    private static string FolderOf(IReadOnlyDictionary<string, string> variables) => Berth.Images.RegistryLoginFile.FolderOf(variables);
}
