using Berth.Api;
using Berth.Spec;
using Spectre.Console;

namespace Berth.Cli.Output;

/// <summary>Prints errors, warnings and compose diagnostics to the error console, in one format everywhere.</summary>
public static class ErrorPrinter
{
    /// <summary>"error: {error}" then each detail indented.</summary>
    public static void Print(IAnsiConsole console, ErrorResponse error)
    {
        Print(console, error.Error);
        foreach (var detail in error.Details)
        {
            ConsoleText.WriteLine(console, "  " + detail);
        }
    }

    /// <summary>"error: {message}"; further lines of a multi-line message are indented like details.</summary>
    public static void Print(IAnsiConsole console, string message)
    {
        var lines = message.ReplaceLineEndings("\n").Split('\n');
        ConsoleText.WriteLine(console, "error: " + lines[0], Tint.Red);
        foreach (var line in lines.Skip(1))
        {
            ConsoleText.WriteLine(console, "  " + line);
        }
    }

    /// <summary>The server's warnings about a deploy, in yellow: "warning: services.app.deploy.resources: not applied ...".</summary>
    public static void Print(IAnsiConsole console, IEnumerable<DeployWarning> warnings)
    {
        foreach (var warning in warnings)
        {
            ConsoleText.WriteLine(console, $"warning: {warning.Key}: {warning.Message}", Tint.Yellow);
        }
    }

    /// <summary>Every diagnostic, warnings in yellow and errors in red, in the order given.</summary>
    public static void Print(IAnsiConsole console, IEnumerable<SpecDiagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            ConsoleText.WriteLine(console, diagnostic.ToString(), diagnostic.Severity == DiagnosticSeverity.Error ? Tint.Red : Tint.Yellow);
        }
    }
}
