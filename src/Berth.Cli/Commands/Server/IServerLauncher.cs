namespace Berth.Cli.Commands.Server;

/// <summary>How `berth server` runs the server once the CLI has checked its options.</summary>
public interface IServerLauncher
{
    /// <summary>Runs the server with <paramref name="settings"/>; returns the process exit code (0 after a clean stop).</summary>
    Task<int> RunAsync(ServerSettings settings, CliEnvironment cli, CancellationToken cancellationToken);

    /// <summary>Runs a router process with <paramref name="settings"/> (`berth router run`); returns its exit code.</summary>
    Task<int> RunRouterAsync(Commands.Routers.RouterRunSettings settings, CliEnvironment cli, CancellationToken cancellationToken);
}
