using Berth.Cli;
using Berth.Cli.Usage;
using Spectre.Console.Testing;

namespace Berth.Tests.Cli;

/// <summary>
/// A command line that names its verb registers only that top-level command or branch (Spectre reflects over every
/// command it knows before parsing): it must behave exactly as the whole app does.
/// </summary>
public sealed class CommandRegistrationTests
{
    public static TheoryData<string> Commands => new(CommandCatalog.Berth.Root.SelfAndDescendants().Where(c => c.Path.Count > 0).Select(c => string.Join(' ', c.Path)));

    [Theory]
    [InlineData("service ls", "service")]
    [InlineData("rollback articles_app --to 1", "rollback")]
    [InlineData("rm articles", "rm")]
    [InlineData("--help", null)]
    [InlineData("servce ls", null)]
    [InlineData("", null)]
    public void TopLevelCommand_CommandLine_NamesWhatToRegister(string commandLine, string? expected)
    {
        Assert.Equal(expected, BerthCli.TopLevelCommand(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Build_OnlyTheNamedCommand_SameHelpAsTheWholeApp(string command)
    {
        string[] args = [.. command.Split(' '), "--help"];

        var whole = Help(args, only: null);
        var alone = Help(args, BerthCli.TopLevelCommand(args));

        Assert.NotNull(BerthCli.TopLevelCommand(args));
        Assert.Equal(whole, alone);
    }

    private static (int ExitCode, string Output) Help(string[] args, string? only)
    {
        using var console = new TestConsole().Width(200);
        var cli = new CliEnvironment { Out = console, Error = console };
        var exit = BerthCli.Build(cli, new CliExceptionHandler(cli, new UsageErrors(cli, args)), usageOnly: false, only).Run(args);
        return (exit, console.Output);
    }
}
