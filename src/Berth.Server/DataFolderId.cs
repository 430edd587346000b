using System.Security.Cryptography;

namespace Berth.Server;

/// <summary>
/// The data folder's own id (DATA/data-folder.id, made at its first start on the Swarm runtime, never restored): what
/// the Swarm objects a server creates are labelled with, so `berth server --restore` removes its own leftovers and
/// never another server's on the same Swarm.
/// </summary>
public static class DataFolderId
{
    public const string FileName = "data-folder.id";

    /// <summary>Reads the id, making it first if the folder has none.</summary>
    public static string Ensure(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: 32 } existing)
        {
            return existing;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(path, id + "\n");
        return id;
    }
}
