using Berth.Cli.Commands.Build;
using Berth.Images;
using Spectre.Console.Testing;

namespace Berth.Tests.Images;

/// <summary>How push progress is printed: one updating line per layer on a terminal, state changes only elsewhere.</summary>
public sealed class BuildProgressPrinterTests
{
    private const string Escape = "\u001b";

    [Fact]
    public void Report_NotATerminal_StateChangesOnlyNoByteCounters()
    {
        using var console = new TestConsole().Width(200);
        var printer = new BuildProgressPrinter(console);

        Push(printer);

        Assert.Equal(
            ["web | The push refers to repository [127.0.0.1:5000/web]", "web | aaa: Preparing", "web | bbb: Preparing", "web | aaa: Pushed", "web | bbb: Layer already exists", "web | 2: digest: sha256:0123 size: 528"],
            console.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(Escape, console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_Terminal_OneLinePerLayerRewrittenInPlaceWithBytes()
    {
        using var console = new TestConsole().Width(200).Interactive().EmitAnsiSequences();
        var printer = new BuildProgressPrinter(console);

        Push(printer);

        var output = console.Output;
        // Two layer lines, plus the lines before and after the block: every update rewrites a line, never adds one.
        Assert.Equal(4, output.Count(c => c == '\n'));
        Assert.Contains($"{Escape}[2A\r{Escape}[2Kweb | aaa: Pushing 1.0 kB / 2.5 MB{Escape}[2B\r", output, StringComparison.Ordinal);
        Assert.Contains($"{Escape}[2A\r{Escape}[2Kweb | aaa: Pushed{Escape}[2B\r", output, StringComparison.Ordinal);
        Assert.Contains($"{Escape}[1A\r{Escape}[2Kweb | bbb: Layer already exists{Escape}[1B\r", output, StringComparison.Ordinal);
        Assert.EndsWith("web | 2: digest: sha256:0123 size: 528\n", output, StringComparison.Ordinal);
    }

    private static void Push(BuildProgressPrinter printer)
    {
        printer.Report(new BuildProgress("web", BuildProgressKind.Status, "The push refers to repository [127.0.0.1:5000/web]"));
        printer.Report(Status("aaa", "Preparing"));
        printer.Report(Status("bbb", "Preparing"));
        printer.Report(new BuildProgress("web", BuildProgressKind.Transfer, "aaa: Pushing") { Layer = "aaa", State = "Pushing", Current = 1_000, Total = 2_500_000 });
        printer.Report(Status("aaa", "Pushed"));
        printer.Report(Status("bbb", "Layer already exists"));
        printer.Report(new BuildProgress("web", BuildProgressKind.Status, "2: digest: sha256:0123 size: 528"));
    }

    private static BuildProgress Status(string layer, string state) =>
        new("web", BuildProgressKind.Status, $"{layer}: {state}") { Layer = layer, State = state };
}
