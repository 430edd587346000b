using System.Text.Json;
using Berth.Api;

namespace Berth.Routing.Follower;

/// <summary>A router's last applied routes on disk (routes.json): what it serves at start, before the control plane answers.</summary>
public sealed record RouterState(long Version, IReadOnlyList<ServiceRoute> Routes)
{
    public const string FileName = "routes.json";

    /// <summary>
    /// The control plane's current address, written by the server that started this router at each of its starts: a
    /// router adopted by a server that came back on another address follows it there.
    /// </summary>
    public const string ControlPlaneFileName = "control-plane";

    /// <summary>The address in <see cref="ControlPlaneFileName"/>, when the folder has one that reads as an http(s) URL.</summary>
    public static Uri? ReadControlPlane(string directory)
    {
        var path = Path.Combine(directory, ControlPlaneFileName);
        try
        {
            return File.Exists(path)
                   && Uri.TryCreate(File.ReadAllText(path).Trim(), UriKind.Absolute, out var address)
                   && address.Scheme is "http" or "https"
                ? address
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static void WriteControlPlane(string directory, Uri address)
    {
        Directory.CreateDirectory(directory);
        Berth.Security.OwnerOnlyFile.WriteText(Path.Combine(directory, ControlPlaneFileName), address + "\n");
    }

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
