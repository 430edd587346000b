using Berth.Cli;

return await BerthCli.RunAsync(args, CliEnvironment.FromProcess(), CancellationToken.None).ConfigureAwait(false);
