using System.Reflection;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Server;

/// <summary>`berth version`: the client's version, then the server's (docker version).</summary>
public sealed class VersionCommand : ApiCommand<VersionSettings>
{
    public VersionCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    /// <summary>This CLI's informational version.</summary>
    public static string ClientVersion =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    protected override async Task<int> ExecuteAsync(BerthApiClient client, VersionSettings settings, CancellationToken cancellationToken)
    {
        ConsoleText.WriteLine(Cli.Out, $"Client: {ClientVersion}");

        // The client line is printed first so it shows even when the server is down (exit 3 then).
        var server = await client.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, $"Server: {server.Version} (runtime {server.Runtime}, data {server.DataDirectory}) at {BerthApiClient.Display(client.Host)}");
        return ExitCodes.Ok;
    }
}
