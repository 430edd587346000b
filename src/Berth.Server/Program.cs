using Berth.Cli;
using Berth.Server;

// The server executable (`berth-server`, or `dotnet Berth.Server.dll`): `berth server`'s own parsing, help and exit codes,
// then the server in this process. The `berth` client hands over to it by execv (same pid).
return await BerthCli.RunAsync(["server", .. args], CliEnvironment.FromProcess(new ServerHost()), CancellationToken.None).ConfigureAwait(false);
