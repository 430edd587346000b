using System.Text.Json;
using Berth.Api;

namespace Berth.Routing.Follower;

/// <summary>A router's last applied routes on disk (routes.json): what it serves at start, before the control plane answers.</summary>
public sealed record RouterState(long Version, IReadOnlyList<ServiceRoute> Routes)
{
    public const string FileName = "routes.json";

    public static RouterState? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RouterState>(File.ReadAllText(path), ApiJson.Options);
        }
        catch (JsonException)
        {
            // A state file that cannot be read is no reason not to start: the control plane sends every route.
            return null;
        }
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        Berth.Security.OwnerOnlyFile.Write(Path.Combine(directory, FileName), stream => JsonSerializer.Serialize(stream, this, ApiJson.Options));
    }
}
