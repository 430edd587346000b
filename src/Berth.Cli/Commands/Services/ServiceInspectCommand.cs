using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Services;

/// <summary>`berth service inspect NAME`: one service in detail.</summary>
public sealed class ServiceInspectCommand : ApiCommand<ServiceInspectSettings>
{
    public ServiceInspectCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ServiceInspectSettings settings, CancellationToken cancellationToken)
    {
        var service = await client.GetServiceAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, service);
            return ExitCodes.Ok;
        }

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string value) => grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
        Row("Name", service.Name);
        Row("Stack", service.Stack);
        Row("Mode", service.Mode);
        Row("Release", service.Release.ToString(CultureInfo.InvariantCulture));
        Row("Artifact", service.Artifact);
        Row("Replicas", string.Create(
            CultureInfo.InvariantCulture,
            $"{service.DesiredReplicas} desired, {service.RunningReplicas} running, {service.HealthyReplicas} healthy"));
        Row("Ports", service.Ports.Count == 0 ? "-" : string.Join(", ", service.Ports));
        Row("Status", service.StatusReason is null ? service.Status : $"{service.Status}: {service.StatusReason}");
        Cli.Out.Write(grid);
        return ExitCodes.Ok;
    }
}
