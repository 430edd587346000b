using System.Reflection;
using Berth.Api;
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
        if (settings.Json)
        {
            return await WriteJsonAsync(client, cancellationToken).ConfigureAwait(false);
        }

        ConsoleText.WriteLine(Cli.Out, $"Client: {ClientVersion}");

        // The client line is printed first so it shows even when the server is down (exit 3 then).
        var server = await client.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, $"Server: {server.Version} (runtime {server.Runtime}, data {server.DataDirectory}) at {BerthApiClient.Display(client.Host)}");
        return ExitCodes.Ok;
    }

    /// <summary>One JSON document either way; when the server is down its part is null and the error still exits 3.</summary>
    private async Task<int> WriteJsonAsync(BerthApiClient client, CancellationToken cancellationToken)
    {
        var clientPart = new ClientVersion(ClientVersion);
        ServerInfo server;
        try
        {
            server = await client.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ServerUnreachableException)
        {
            ConsoleText.WriteJson(Cli.Out, new VersionReport(clientPart, null));
            throw;
        }

        var serverPart = new ServerVersion(server.Version, server.Runtime, server.DataDirectory, BerthApiClient.Display(client.Host));
        ConsoleText.WriteJson(Cli.Out, new VersionReport(clientPart, serverPart));
        return ExitCodes.Ok;
    }
}
