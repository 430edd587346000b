using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Nodes;

/// <summary>`berth node ls [--json]`.</summary>
public sealed class NodeListSettings : ApiCommandSettings
{
    [CommandOption("--json")]
    [Description("Print the nodes as a JSON array of NodeInfo.")]
    public bool Json { get; init; }
}
