using Berth.Cli.Output;
using Berth.Images;
using Spectre.Console;

namespace Berth.Cli.Commands.Build;

/// <summary>Prints each progress line of a build or push as it arrives, prefixed with the service ("app | Step 1/4 : FROM …").</summary>
public sealed class BuildProgressPrinter : IProgress<BuildProgress>
{
    private readonly IAnsiConsole _console;

    public BuildProgressPrinter(IAnsiConsole console)
    {
        _console = console;
    }

    public void Report(BuildProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Kind != BuildProgressKind.Error)
        {
            // Errors are printed once, on stderr, by the command.
            ConsoleText.WriteLine(_console, $"{value.Service} | {value.Text}");
        }
    }
}
