using System.Globalization;
using Berth.Cli.Output;
using Berth.Images;
using Spectre.Console;

namespace Berth.Cli.Commands.Build;

/// <summary>
/// Prints each progress line of a build or push as it arrives, prefixed with the service ("app | Step 1/4 : FROM …").
/// On a terminal, each layer of a push or pull gets one line that is rewritten in place with its state and bytes
/// ("app | 5f70bf18a086: Pushing 1.2 MB / 3.4 MB"); elsewhere only state changes are printed, one line each, so logs
/// and pipes get a short history.
/// </summary>
public sealed class BuildProgressPrinter : IProgress<BuildProgress>
{
    private readonly IAnsiConsole _console;
    private readonly bool _live;

    // The block of layer lines at the bottom of the screen, in the order they appeared.
    private readonly List<string> _layers = [];

    public BuildProgressPrinter(IAnsiConsole console)
    {
        _console = console;
        var capabilities = console.Profile.Capabilities;
        _live = capabilities.Ansi && capabilities.Interactive;
    }

    public void Report(BuildProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Kind == BuildProgressKind.Error)
        {
            // Errors are printed once, on stderr, by the command.
            return;
        }

        if (_live && value.Layer is { } layer && value.Kind is BuildProgressKind.Status or BuildProgressKind.Transfer)
        {
            ShowLayer(value.Service, layer, Describe(value));
            return;
        }

        if (value.Kind == BuildProgressKind.Transfer)
        {
            return;
        }

        // Anything else ends the block: its lines stay as they are, and later ones start below.
        _layers.Clear();
        ConsoleText.WriteLine(_console, $"{value.Service} | {value.Text}");
    }

    private void ShowLayer(string service, string layer, string text)
    {
        var line = Fit($"{service} | {layer}: {text}");
        var writer = _console.Profile.Out.Writer;
        var index = _layers.IndexOf(layer);
        if (index < 0)
        {
            _layers.Add(layer);
            writer.Write(line + "\n");
        }
        else
        {
            // Up to the layer's line, clear and rewrite it, back down below the block.
            var up = _layers.Count - index;
            writer.Write($"\u001b[{up}A\r\u001b[2K{line}\u001b[{up}B\r");
        }

        writer.Flush();
    }

    /// <summary>A line wider than the screen would wrap and break the cursor arithmetic: cut it.</summary>
    private string Fit(string line)
    {
        var width = _console.Profile.Width;
        return width > 1 && line.Length >= width ? line[..(width - 1)] : line;
    }

    private static string Describe(BuildProgress value)
    {
        var state = value.State ?? value.Text;
        return value is { Kind: BuildProgressKind.Transfer, Current: { } current, Total: { } total }
            ? $"{state} {Bytes(current)} / {Bytes(total)}"
            : state;
    }

    private static string Bytes(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
