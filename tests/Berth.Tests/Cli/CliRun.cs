using Berth.Cli;
using Berth.Cli.Compose;
using Spectre.Console.Testing;

namespace Berth.Tests.Cli;

/// <summary>Runs `berth ARGS` in-process against test consoles and captures exit code, stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static Task<CliRun> RunAsync(FakeBerthApi api, params string[] args) => RunAsync(api, loading: null, args);

    public static Task<CliRun> RunAsync(FakeBerthApi? api, IComposeLoading? loading, params string[] args) =>
        RunAsync(new CliRunOptions { Api = api, Loading = loading }, args);

    public static async Task<CliRun> RunAsync(CliRunOptions options, params string[] args)
    {
        using var output = new TestConsole().Width(200);
        using var error = new TestConsole().Width(200);
        if (options.Interactive)
        {
            output.Interactive();
            error.Interactive();
        }

        var variables = new Dictionary<string, string>(options.Variables);
        variables.TryAdd("BERTH_CONFIG", Path.Combine(Path.GetTempPath(), "berth-test-no-config"));
        if (options.Api is not null)
        {
            variables["BERTH_HOST"] = options.Api.Address.ToString();
        }

        var cli = new CliEnvironment
        {
            Out = output,
            Error = error,
            Variables = variables,
            ComposeLoading = options.Loading ?? new FakeComposeLoading(new Berth.Spec.ComposeLoadResult(null, [])),
            RolloutPollInterval = TimeSpan.FromMilliseconds(20),
            Input = new StringReader(options.Input),
            Time = options.Time ?? TimeProvider.System,
            ServerLauncher = options.ServerLauncher,
            ValidateExamples = true,
        };
        options.OnStarted?.Invoke(output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var exitCode = await BerthCli.RunAsync(args, cli, timeout.Token);
        return new CliRun(exitCode, output.Output, error.Output);
    }
}

/// <summary>How <see cref="CliRun"/> sets up a run.</summary>
internal sealed class CliRunOptions
{
    public FakeBerthApi? Api { get; init; }

    public IComposeLoading? Loading { get; init; }

    public bool Interactive { get; init; }

    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public CancellationToken CancellationToken { get; init; }

    /// <summary>What the command reads on standard input.</summary>
    public string Input { get; init; } = string.Empty;
    /// <summary>The CLI's clock (default: the system clock).</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>What `berth server` runs (default: none, so a test never hands its process over).</summary>
    public Berth.Cli.Commands.Server.IServerLauncher? ServerLauncher { get; init; }

    /// <summary>Sees the stdout console before the run starts (to watch streamed output).</summary>
    public Action<TestConsole>? OnStarted { get; init; }
}
