using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Scale;

/// <summary>`berth scale a=2 b=3`: one all-or-nothing request for every service named.</summary>
public sealed class ScaleCommand : ApiCommand<ScaleSettings>
{
    public ScaleCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ScaleSettings settings, CancellationToken cancellationToken)
    {
        var targets = settings.Replicas;
        await client.ScaleAsync(new ScaleRequest(targets), cancellationToken).ConfigureAwait(false);
        foreach (var (service, replicas) in targets)
        {
            ConsoleText.WriteLine(Cli.Out, string.Create(CultureInfo.InvariantCulture, $"{service} scaled to {replicas}"));
        }

        return ExitCodes.Ok;
    }
}
