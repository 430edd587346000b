using Berth.Tests.Infrastructure;

namespace Berth.Tests.Swarm;

/// <summary>
/// The global routers' image as scripts/router-image.sh makes it (packaging/router-image/Dockerfile), from the server's
/// build output instead of a publish: <c>berth-router:test</c>, built again when Berth.dll or Berth.Server.dll changed.
/// </summary>
internal static class RouterImage
{
    public const string Tag = "berth-router:test";

    public static Task EnsureAsync()
    {
        var server = RepoPaths.ServerDll;
        var folder = Path.GetDirectoryName(server)!;
        return LocalImage.EnsureAsync(
            Tag,
            Path.Combine(RepoPaths.Root, "packaging", "router-image", "Dockerfile"),
            folder,
            "server",
            server,
            Path.Combine(folder, "Berth.dll"));
    }
}
