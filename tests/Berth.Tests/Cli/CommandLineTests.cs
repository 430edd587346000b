using Berth.Api;
using Berth.Cli.Usage;

namespace Berth.Tests.Cli;

/// <summary>
/// A CLI that refuses what it does not understand. The verbs come from <see cref="CommandCatalog"/> (Spectre's own
/// description of the configured app), so a verb added later is tried too.
/// </summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> Verbs => new(CommandCatalog.Berth.Verbs.Select(v => string.Join(' ', v.Path)));

    [Fact]
    public void Catalog_Read_HasEveryVerbAndBranch()
    {
        var paths = CommandCatalog.Berth.Root.SelfAndDescendants().Select(c => string.Join(' ', c.Path)).ToList();

        Assert.Contains("rollback", paths);
        Assert.Contains("rollout status", paths);
        Assert.Contains("service", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("cli", StringComparison.Ordinal));
        Assert.True(CommandCatalog.Berth.Verbs.Count() >= 25, string.Join(", ", paths));
        Assert.Equal("ls", CommandCatalog.Berth.Resolve(["service", "list", "--bogus"]).Path[^1]);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerb_UnknownOption_ExitsTwoWithMessageAndUsage(string verb)
    {
        var command = Find(verb);

        var run = await CliRun.RunAsync(new CliRunOptions(), [.. command.Path, .. RequiredArguments(command), "--no-such-option"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"error: unknown option `--no-such-option` for `berth {verb}`\n", run.Error, StringComparison.Ordinal);
        AssertUsage(run, verb);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerb_MistypedOption_SuggestsTheOption(string verb)
    {
        var command = Find(verb);
        foreach (var option in command.Options.Select(o => o.Name))
        {
            var typo = option + option[^1];

            var run = await CliRun.RunAsync(new CliRunOptions(), [.. command.Path, .. RequiredArguments(command), typo]);

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains($"error: unknown option `{typo}` for `berth {verb}`; did you mean `{option}`?", run.Error);
        }
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerb_ExtraArgument_ExitsTwoWithMessageAndUsage(string verb)
    {
        var command = Find(verb);
        if (command.Arguments.Any(a => a.IsVector))
        {
            return; // takes any number of arguments
        }

        var run = await CliRun.RunAsync(new CliRunOptions(), [.. command.Path, .. command.Arguments.Select(_ => "x"), "extra"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        var takes = command.Arguments.Count == 0 ? "takes no arguments" : "takes only " + string.Join(' ', command.Arguments.Select(a => a.Display));
        Assert.StartsWith($"error: unexpected argument `extra`: `berth {verb}` {takes}\n", run.Error, StringComparison.Ordinal);
        AssertUsage(run, verb);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerb_OptionWithoutValue_ExitsTwoNamingIt(string verb)
    {
        var command = Find(verb);
        foreach (var option in command.Options.Where(o => o.TakesValue))
        {
            var run = await CliRun.RunAsync(new CliRunOptions(), [.. command.Path, .. RequiredArguments(command), option.Name]);

            Assert.True(run.ExitCode == 2, $"{option.Name}: {run}");
            Assert.Contains($"error: option `{option.Name}` needs a value: `{option.Name} {option.ValueName}`", run.Error);
            AssertUsage(run, verb);
        }
    }

    [Fact]
    public void EveryOption_Value_IsReadAsTextByTheSettings()
    {
        // Spectre's own conversion says "Failed to convert 'abc' to Nullable`1"; settings keep typed values as strings and
        // parse them in Validate (OptionValues, SinceValue, Duration) to name the option, the value and what is valid.
        var typed = CommandCatalog.Berth.Verbs
            .SelectMany(v => v.Options.Where(o => o.TakesValue).Select(o => (Verb: v, Name: o.Name, Type: o.ClrType))
                .Concat(v.Arguments.Select(a => (Verb: v, Name: a.Name, Type: (string?)a.ClrType))))
            .Where(p => p.Type is not ("System.String" or "System.String[]"))
            .Select(p => $"{p.Verb.Display} {p.Name}: {p.Type}")
            .ToList();

        Assert.True(typed.Count == 0, "typed options: " + string.Join(", ", typed));
    }

    [Fact]
    public async Task Rollback_TypoOfTo_RefusedWithoutCallingTheServer()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "rollback", "articles_app", "--too", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: unknown option `--too` for `berth rollback`; did you mean `--to`?", run.Error);
        Assert.Empty(api.Requests);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("servce", "error: unknown command `servce`; did you mean `service`?")]
    [InlineData("service lss", "error: unknown command `lss` for `berth service`; did you mean `ls`?")]
    [InlineData("rollback articles_app --det", "error: unknown option `--det` for `berth rollback`; did you mean `--detach`?")]
    [InlineData("rollback articles_app -x", "error: unknown option `-x` for `berth rollback`\n")]
    [InlineData("ps articles --json=yes", "error: `--json` is a flag and takes no value (got `--json=yes`)")]
    [InlineData("ps", "error: `berth ps` needs STACK")]
    [InlineData("rollback articles_app -- --to 3", "error: unexpected argument `--to`: `berth rollback` takes only SERVICE")]
    [InlineData("--host x ps", "error: unexpected option `--host` before the command")]
    [InlineData("events --service --json", "error: option `--service` needs a value: `--service SERVICE`")]
    public async Task Run_CommandLineNotUnderstood_ExitsTwoExplainingIt(string commandLine, string message)
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, commandLine.Split(' '));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Error);
        Assert.Contains("USAGE:", run.Error);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("service")]
    [InlineData("rollout")]
    [InlineData("node")]
    public async Task Run_BranchAlone_PrintsItsHelp(string branch)
    {
        var run = await CliRun.RunAsync(new CliRunOptions(), branch);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("COMMANDS:", run.Out);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Run_ValueTypedAfterKnownOptions_StillWorks()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1) });

        var run = await CliRun.RunAsync(api, "ps", "--all", "articles", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static CatalogCommand Find(string verb) => CommandCatalog.Berth.Verbs.Single(v => string.Join(' ', v.Path) == verb);

    /// <summary>A value for each required argument (parsing fails before any of them is looked at).</summary>
    private static IEnumerable<string> RequiredArguments(CatalogCommand command) =>
        command.Arguments.Where(a => a.Required).Select(a => a.IsVector ? "x=1" : "x");

    private static void AssertUsage(CliRun run, string verb)
    {
        Assert.Contains("USAGE:", run.Error);
        Assert.Contains($"berth {verb} ", run.Error);
        Assert.Contains("OPTIONS:", run.Error);
        Assert.Empty(run.Out);
    }
}
