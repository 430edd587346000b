using System.Text.Json;
using Berth.Api;
using Berth.Cli.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Berth.Cli.Output;

/// <summary>Writes text for scripts (JSON, log and event lines) straight to a console's writer: no markup, no wrapping.</summary>
public static class ConsoleText
{
    /// <summary><see cref="ApiJson.Options"/> (no HTML escaping) with the CLI's generated metadata only: what --json prints on one line.</summary>
    public static JsonSerializerOptions CompactJson { get; } = CliJson.GeneratedOnly(new(ApiJson.Options));

    /// <summary><see cref="CompactJson"/>, indented: what --json prints.</summary>
    public static JsonSerializerOptions IndentedJson { get; } = CliJson.GeneratedOnly(new(CompactJson) { WriteIndented = true });

    /// <summary>Writes one line exactly as given (never wrapped at the console width, which would corrupt logs and JSON).</summary>
    public static void WriteLine(IAnsiConsole console, string line) => WriteLine(console, line, tint: null);

    /// <summary>Writes one line, in red or yellow when the console understands ANSI colors.</summary>
    public static void WriteLine(IAnsiConsole console, string line, Tint? tint)
    {
        var writer = console.Profile.Out.Writer;
        // Colors only on a real terminal that takes them (Spectre already honours NO_COLOR in ColorSystem).
        var profile = console.Profile;
        if (tint is not null && profile.Out.IsTerminal && profile.Capabilities.Ansi && profile.Capabilities.ColorSystem != ColorSystem.NoColors)
        {
            writer.Write(tint == Tint.Red ? "\u001b[31m" : "\u001b[33m");
            writer.Write(line);
            writer.Write("\u001b[0m");
        }
        else
        {
            writer.Write(line);
        }

        writer.Write('\n');
        writer.Flush();
    }

    /// <summary>
    /// Writes <paramref name="view"/> (a grid of details) as is on a terminal; to a pipe or file as plain lines without
    /// the padding Spectre adds (trailing spaces, blank lines around it).
    /// </summary>
    public static void WriteView(IAnsiConsole console, IRenderable view)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (console.Profile.Out.IsTerminal)
        {
            console.Write(view);
            return;
        }

        using var text = new StringWriter();
        var plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        plain.Profile.Width = console.Profile.Width;
        plain.Write(view);
        var lines = text.ToString().ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        var first = lines.FindIndex(l => l.Length > 0);
        var last = lines.FindLastIndex(l => l.Length > 0);
        for (var i = first; first >= 0 && i <= last; i++)
        {
            WriteLine(console, lines[i]);
        }
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON with the API's naming.</summary>
    public static void WriteJson<T>(IAnsiConsole console, T value) =>
        WriteLine(console, JsonSerializer.Serialize(value, IndentedJson.Info<T>()));

    /// <summary>Writes <paramref name="value"/> as one compact JSON line (NDJSON).</summary>
    public static void WriteJsonLine<T>(IAnsiConsole console, T value) =>
        WriteLine(console, JsonSerializer.Serialize(value, CompactJson.Info<T>()));
}

/// <summary>The few colors plain lines use.</summary>
public enum Tint
{
    Red,
    Yellow,
}
