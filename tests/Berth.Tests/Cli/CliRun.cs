using Berth.Cli;
using Berth.Cli.Compose;
using Spectre.Console.Testing;

namespace Berth.Tests.Cli;

/// <summary>Runs `berth ARGS` in-process against test consoles and captures exit code, stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(FakeBerthApi? api, IComposeLoading? loading, params string[] args)
    {
        using var output = new TestConsole().Width(200);
        using var error = new TestConsole().Width(200);
        var variables = new Dictionary<string, string>();
        if (api is not null)
        {
            variables["BERTH_HOST"] = api.Address.ToString();
        }

        var cli = new CliEnvironment
        {
            Out = output,
            Error = error,
            Variables = variables,
            ComposeLoading = loading ?? new FakeComposeLoading(new Berth.Spec.ComposeLoadResult(null, [])),
            RolloutPollInterval = TimeSpan.FromMilliseconds(20),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitCode = await BerthCli.RunAsync(args, cli, timeout.Token);
        return new CliRun(exitCode, output.Output, error.Output);
    }

    public static Task<CliRun> RunAsync(FakeBerthApi api, params string[] args) => RunAsync(api, loading: null, args);
}
