namespace Berth.Cli.Commands.Secrets;

/// <summary>`berth secret rm STACK NAME [--env E]`.</summary>
public sealed class SecretRemoveSettings : SecretStackSettings
{
}
