using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Routers;

/// <summary>`berth router ls [--json]`.</summary>
public sealed class RouterListSettings : ApiCommandSettings
{
    [CommandOption("--json")]
    [Description("Print the routers as a JSON array of RouterInfo (id, pid, node, version, routeVersion, state, ...).")]
    public bool Json { get; init; }
}
