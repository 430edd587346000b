using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Services;

/// <summary>`berth service ls`: one row per service (docker service ls).</summary>
public sealed class ServiceListCommand : ApiCommand<ServiceListSettings>
{
    public ServiceListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ServiceListSettings settings, CancellationToken cancellationToken)
    {
        var services = await client.ListServicesAsync(settings.Stack, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, services);
            return ExitCodes.Ok;
        }

        var sorted = services.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        if (settings.Quiet)
        {
            foreach (var service in sorted)
            {
                ConsoleText.WriteLine(Cli.Out, service.Name);
            }
        }
        else if (settings.Format is { } template)
        {
            ListFormat.Parse(template, ServiceTable.Table.Fields).Write(Cli.Out, ServiceTable.Table, sorted);
        }
        else
        {
            ServiceTable.Table.Write(Cli.Out, sorted);
        }

        return ExitCodes.Ok;
    }
}
