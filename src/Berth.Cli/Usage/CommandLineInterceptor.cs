using System.Diagnostics.CodeAnalysis;
using Spectre.Console.Cli;

namespace Berth.Cli.Usage;

/// <summary>
/// Runs before every command, after Spectre bound its settings, and refuses two things Spectre lets through in strict
/// mode: arguments after <c>--</c>, and an option left without a value that Spectre filled with its default-command
/// placeholder (on a parse error it retries with that word inserted, and <c>--service</c> alone then "works").
/// </summary>
public sealed class CommandLineInterceptor : ICommandInterceptor
{
    /// <summary>The word Spectre inserts when it retries a failed parse (its internal default command name).</summary>
    public const string SpectrePlaceholder = "__default_command";

    public void Intercept(CommandContext context, CommandSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (context.Remaining.Raw.Count > 0)
        {
            throw new UnexpectedArgumentsException(context.Remaining.Raw);
        }

        if (!context.Arguments.Contains(SpectrePlaceholder, StringComparer.Ordinal) && HoldsPlaceholder(settings))
        {
            throw new MissingOptionValueException();
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Every settings type is in this assembly, which the AOT publish keeps whole (TrimmerRootAssembly).")]
    private static bool HoldsPlaceholder(CommandSettings settings) =>
        settings.GetType().GetProperties().Any(p => p.GetValue(settings) switch
        {
            string text => text == SpectrePlaceholder,
            string[] texts => texts.Contains(SpectrePlaceholder, StringComparer.Ordinal),
            _ => false,
        });
}
