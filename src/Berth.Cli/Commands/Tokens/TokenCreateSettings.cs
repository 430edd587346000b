using System.ComponentModel;
using Berth.Security;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth token create NAME --role ROLE [--expires DURATION] [--json]`.</summary>
public sealed class TokenCreateSettings : ApiCommandSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The token's name, as the audit log shows who acted: " + TokenNames.Rule + ".")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--role <ROLE>")]
    [Description("viewer (reads), deployer (deploys, scales, rolls back, reads logs), approver (viewer + approvals) or admin (everything).")]
    public string? Role { get; init; }

    [CommandOption("--expires <DURATION>")]
    [Description("Lifetime, e.g. 30d, 12h, 90m. Default: never expires.")]
    public string? Expires { get; init; }

    [CommandOption("--json")]
    [Description("Print {name, role, token, expires} as JSON.")]
    public bool Json { get; init; }

    public TimeSpan? Lifetime => Expires is not null && Duration.TryParse(Expires, out var lifetime) ? lifetime : null;

    public override ValidationResult Validate()
    {
        if (!TokenNames.IsValid(Name))
        {
            return ValidationResult.Error($"token name '{Name}' is not valid: {TokenNames.Rule}.");
        }

        if (Role is null || !RolePermissions.TryParse(Role, out _))
        {
            return ValidationResult.Error($"--role is required: one of {string.Join(", ", RolePermissions.Names)}{(Role is null ? "" : $" (got '{Role}')")}.");
        }

        if (Expires is not null && (!Duration.TryParse(Expires, out var lifetime) || lifetime <= TimeSpan.Zero))
        {
            return ValidationResult.Error($"--expires: '{Expires}' is not a positive duration, e.g. 30d, 12h, 90m.");
        }

        return base.Validate();
    }
}
