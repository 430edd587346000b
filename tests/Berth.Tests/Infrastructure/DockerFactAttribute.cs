using Docker.DotNet;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// A test that needs a Docker engine with an active Swarm (started by scripts/start-docker.sh, which .ci/run calls).
/// Without one it is skipped on a developer's machine; with CI=true it runs anyway and fails, so a CI machine that
/// lost its engine cannot pass by skipping.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (DockerEngine.Problem() is { } problem && !DockerEngine.IsCi)
        {
            Skip = $"no Docker engine: {problem} (run scripts/start-docker.sh; with CI=true this test fails instead)";
        }
    }
}

/// <summary>Where the tests find the Docker engine, and whether it answers.</summary>
public static class DockerEngine
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static Uri Endpoint => new(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock");

    public static DockerClient Connect() => new DockerClientBuilder().WithEndpoint(Endpoint).Build();

    /// <summary>Null when the engine answers and is a Swarm manager; else what is wrong.</summary>
    public static string? Problem()
    {
        try
        {
            using var client = Connect();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var info = client.System.GetSystemInfoAsync(timeout.Token).GetAwaiter().GetResult();
            return info.Swarm?.ControlAvailable == true ? null : "the engine is not a Swarm manager (docker swarm init)";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"{Endpoint} does not answer ({e.GetBaseException().Message})";
        }
    }
}
