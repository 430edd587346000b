using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Security;

namespace Berth.Images;

/// <summary>
/// The logins <c>berth registry login</c> keeps for the CLI, which pushes with them: <c>registries.json</c> in the CLI's
/// config folder (<c>$BERTH_CONFIG</c>, else <c>$XDG_CONFIG_HOME/berth</c>, else <c>~/.config/berth</c>), written 0600
/// in a 0700 folder, as docker keeps <c>auths</c> in config.json when it has no credential helper.
/// </summary>
public sealed class RegistryLoginFile
{
    public const string FileName = "registries.json";

    public RegistryLoginFile(string folder)
    {
        Folder = folder;
        FilePath = Path.Combine(folder, FileName);
    }

    public string Folder { get; }

    public string FilePath { get; }

    /// <summary>The CLI's config folder for these variables.</summary>
    public static string FolderOf(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.TryGetValue("BERTH_CONFIG", out var explicitFolder) && !string.IsNullOrWhiteSpace(explicitFolder))
        {
            return Path.GetFullPath(explicitFolder);
        }

        if (variables.TryGetValue("XDG_CONFIG_HOME", out var xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "berth");
        }

        var home = variables.TryGetValue("HOME", out var h) && !string.IsNullOrWhiteSpace(h)
            ? h
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "berth");
    }

    public RegistryCredentials? Find(string registry)
    {
        var key = RegistryName.Normalize(registry);
        return Read().FirstOrDefault(e => e.Registry == key) is { } entry ? new RegistryCredentials(entry.Username, entry.Password) : null;
    }

    /// <summary>The file's mode (e.g. "644") when users other than its owner can read or write it; null when only its owner can (or there is no file).</summary>
    public string? ReadableByOthers()
    {
        if (OperatingSystem.IsWindows() || !File.Exists(FilePath))
        {
            return null;
        }

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        var mode = File.GetUnixFileMode(FilePath);
        return (mode & others) == 0 ? null : Convert.ToString((int)mode & 0x1FF, 8);
    }

    public IReadOnlyList<(string Registry, string Username)> List() => Read().Select(e => (e.Registry, e.Username)).ToList();

    public void Save(string registry, RegistryCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var key = RegistryName.Normalize(registry);
        Write(Read().Where(e => e.Registry != key).Append(new Entry { Registry = key, Username = credentials.Username, Password = credentials.Password })
            .OrderBy(e => e.Registry, StringComparer.Ordinal).ToList());
    }

    /// <summary>False when there was no login for <paramref name="registry"/>.</summary>
    public bool Remove(string registry)
    {
        var key = RegistryName.Normalize(registry);
        var entries = Read();
        var kept = entries.Where(e => e.Registry != key).ToList();
        if (kept.Count == entries.Count)
        {
            return false;
        }

        Write(kept);
        return true;
    }

    private List<Entry> Read()
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), RegistryLoginFileJson.Default.ListEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{FilePath} is not a valid registry login file ({e.Message}); fix or remove it", e);
        }
    }

    private void Write(List<Entry> entries)
    {
        if (!Directory.Exists(Folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Folder);
            }
            else
            {
                Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        OwnerOnlyFile.Write(FilePath, stream => JsonSerializer.Serialize(stream, entries, RegistryLoginFileJson.Default.ListEntry));
    }

    internal sealed record Entry
    {
        public required string Registry { get; init; }
        public required string Username { get; init; }
        public required string Password { get; init; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<RegistryLoginFile.Entry>), TypeInfoPropertyName = "ListEntry")]
internal sealed partial class RegistryLoginFileJson : JsonSerializerContext;
