using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Replicas;

/// <summary>`berth replica kill ID`.</summary>
public sealed class ReplicaKillSettings : ApiCommandSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("Replica id, as `berth ps` shows it.")]
    public string Id { get; init; } = string.Empty;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Id) ? ValidationResult.Error("ID is required.") : base.Validate();
}
