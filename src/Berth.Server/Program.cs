using Berth.Cli;
using Berth.Server;

// The server executable (`berth-server`, or `dotnet Berth.Server.dll`): `berth server`'s (and `berth router run`'s) own parsing, help and exit codes,
// then the server in this process. The `berth` client hands over to it by execv (same pid).
// `berth router run …` hands over here too: the router needs YARP, which only this executable carries.
// Installed as the `dotnet tool` (see the .csproj: the SDK puts DotnetToolSettings.xml beside it) it is the whole `berth`
// command instead: any verb, and `server` runs in this process.
var wholeCli = File.Exists(Path.Combine(AppContext.BaseDirectory, "DotnetToolSettings.xml"));
string[] command = wholeCli || args is ["router", "run", ..] ? args : ["server", .. args];
return await BerthCli.RunAsync(command, CliEnvironment.FromProcess(new ServerHost()), CancellationToken.None).ConfigureAwait(false);
