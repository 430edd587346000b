using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Nodes;

/// <summary>`berth node drain|activate NODE [--json]`.</summary>
public sealed class NodeAvailabilitySettings : ApiCommandSettings
{
    [CommandArgument(0, "<NODE>")]
    [Description("Node id (or a unique prefix) or hostname, as `berth node ls` shows it.")]
    public string Node { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print the node afterwards as a NodeInfo JSON object.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Node) ? ValidationResult.Error("NODE is required.") : base.Validate();
}
