using System.Text.Json;
using Spectre.Console;

namespace Berth.Cli.Usage;

/// <summary>
/// The command tree as the configured app declares it, read from Spectre's own OpenCLI description (the hidden
/// <c>berth cli opencli</c>), so it can never miss a command, alias or option: used to explain command-line errors and by
/// the tests that try every command.
/// </summary>
public sealed class CommandCatalog
{
    private static readonly Lazy<CommandCatalog> Current = new(Read);

    private CommandCatalog(CatalogCommand root)
    {
        Root = root;
    }

    /// <summary>`berth` itself: its commands are the verbs and branches.</summary>
    public CatalogCommand Root { get; }

    /// <summary>The catalog of <see cref="BerthCli"/> (read once per process).</summary>
    public static CommandCatalog Berth => Current.Value;

    /// <summary>Every command that runs (not the branches), depth first.</summary>
    public IEnumerable<CatalogCommand> Verbs => Root.SelfAndDescendants().Where(c => !c.IsBranch && c.Path.Count > 0);

    /// <summary>The command the leading words of <paramref name="args"/> name (the root when the first is not a command).</summary>
    public CatalogCommand Resolve(IReadOnlyList<string> args)
    {
        var command = Root;
        foreach (var arg in args)
        {
            if (command.Child(arg) is not { } child)
            {
                break;
            }

            command = child;
        }

        return command;
    }

    private static CommandCatalog Read()
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 100_000; // never wrap a JSON line
        var cli = new CliEnvironment { Out = console, Error = console };
        var exit = BerthCli.Build(cli, new CliExceptionHandler(cli, new UsageErrors(cli, [])), usageOnly: false).Run(["cli", "opencli"]);
        if (exit != ExitCodes.Ok)
        {
            throw new InvalidOperationException($"`berth cli opencli` failed with exit code {exit}: {text}");
        }

        using var document = JsonDocument.Parse(text.ToString());
        return new CommandCatalog(Command(document.RootElement.GetProperty("command"), []));
    }

    private static CatalogCommand Command(JsonElement json, IReadOnlyList<string> path) => new(
        path,
        Strings(json, "aliases"),
        Items(json, "options").Select(Option).ToList(),
        Items(json, "arguments").Select(Argument).ToList(),
        Items(json, "commands").Select(c => Command(c, [.. path, c.GetProperty("name").GetString()!])).ToList());

    private static CatalogOption Option(JsonElement json)
    {
        var value = Items(json, "arguments").FirstOrDefault();
        return new CatalogOption(
            [json.GetProperty("name").GetString()!, .. Strings(json, "aliases").OrderByDescending(a => a.StartsWith("--", StringComparison.Ordinal))],
            value.ValueKind == JsonValueKind.Object ? value.GetProperty("name").GetString() : null,
            value.ValueKind == JsonValueKind.Object ? ClrType(value) : null);
    }

    private static CatalogArgument Argument(JsonElement json) =>
        new(json.GetProperty("name").GetString()!, json.GetProperty("required").GetBoolean(), ClrType(json) ?? "System.String");

    private static string? ClrType(JsonElement json) =>
        Items(json, "metadata").Where(m => m.GetProperty("name").GetString() == "ClrType").Select(m => m.GetProperty("value").GetString()).FirstOrDefault();

    private static IEnumerable<JsonElement> Items(JsonElement json, string name) =>
        json.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    private static List<string> Strings(JsonElement json, string name) => Items(json, name).Select(i => i.GetString()!).ToList();
}
