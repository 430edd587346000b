using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>
/// `berth target add NAME --docker-host URL [TLS files]`: a Docker Swarm manager elsewhere becomes a deploy target
/// environments may name; `--process`: processes on the server's machine (for a Swarm server). The CLI reads the PEM files and sends their text: the server never opens a path it is given.
/// </summary>
public sealed class TargetAddCommand : ApiCommand<TargetAddSettings>
{
    public TargetAddCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, TargetAddSettings settings, CancellationToken cancellationToken)
    {
        var pems = await ReadPemsAsync(settings.TlsFiles, cancellationToken).ConfigureAwait(false);
        var request = settings.Process ? new TargetAddRequest(settings.Name, null, Process: true)
            : pems.Count == 3
            ? new TargetAddRequest(settings.Name, settings.DockerHost!, pems[0], pems[1], pems[2])
            : new TargetAddRequest(settings.Name, settings.DockerHost!);
        var added = await client.AddTargetAsync(request, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, added);
            return ExitCodes.Ok;
        }

        if (settings.Process)
        {
            ConsoleText.WriteLine(Cli.Out, $"Target {added.Name} added: processes on the server's machine.");
            return ExitCodes.Ok;
        }

        var security = added.Tls ? " (mutual TLS)" : added.Endpoint?.StartsWith("unix:", StringComparison.Ordinal) == true ? string.Empty : " (no TLS)";
        ConsoleText.WriteLine(Cli.Out, $"Target {added.Name} added: Docker Swarm at {added.Endpoint ?? settings.DockerHost}{security}.");
        return ExitCodes.Ok;
    }

    /// <summary>Each file's text, in order; every file that cannot be read or is not PEM is reported at once.</summary>
    private static async Task<IReadOnlyList<string>> ReadPemsAsync(IReadOnlyList<(string Flag, string Path)> files, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        var problems = new List<string>();
        foreach (var (flag, path) in files)
        {
            try
            {
                var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                if (!text.Contains("-----BEGIN ", StringComparison.Ordinal))
                {
                    problems.Add($"{flag}: {path} is not a PEM file (a text file with '-----BEGIN …-----').");
                }

                texts.Add(text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{flag}: cannot read {path}: {e.Message}");
            }
        }

        return problems.Count > 0 ? throw new CliInputException(problems) : texts;
    }
}
