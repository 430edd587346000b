using Berth.DockerApi;
using Berth.Runtimes;
using Berth.Runtimes.Process;
using Berth.Runtimes.Swarm;
using Berth.Security;
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Targets;

/// <summary>What a target runs on with its defaults taken from the server: the owner label and how tasks are reached.</summary>
public sealed class TargetRuntimeOptions
{
    /// <summary>Folder of each target's TLS files: <c>DATA/targets/NAME/{ca,cert,key}.pem</c> (0700, files 0600).</summary>
    public string Directory { get; set; } = Path.Combine(".berth", "targets");

    /// <summary>Labels the Swarm services made on targets, as on the server's own Swarm (<see cref="SwarmRuntimeOptions.Owner"/>).</summary>
    public string? Owner { get; set; }

    /// <summary>Reach even the tasks of a target node on this machine at its node address (routers on other nodes route to them).</summary>
    public bool TasksAtNodeAddress { get; set; }
}

/// <summary>
/// A Docker target's runtime is the Swarm runtime pointed at the target's engine: the same driver as
/// <c>berth server --runtime swarm</c>, its TLS files written from the store to the target's folder (0600). A process
/// target's is the process runtime, its replicas' logs and data in the target's folder.
/// </summary>
public sealed class TargetRuntimeFactory(
    IOptions<TargetRuntimeOptions> options, TimeProvider time, ILoggerFactory loggers, Images.RegistryLoginStore? registryLogins = null,
    HostCommandPolicy? hostCommands = null, Artifacts.ArtifactStore? artifacts = null) : ITargetRuntimeFactory
{
    private readonly TargetRuntimeOptions _options = options.Value;

    public Task<string?> ProblemAsync(TargetRecord target, CancellationToken cancellationToken) =>
        target.Kind == TargetKinds.Process ? Task.FromResult<string?>(null) : SwarmDockerClient.ProblemAsync(
            OptionsOf(target),
            "check the address and that dockerd listens there (-H tcp://0.0.0.0:2376 --tlsverify), and that this server's machine can reach it",
            "give the address of a manager",
            cancellationToken);

    public IRuntimeDriver Create(TargetRecord target) => target.Kind == TargetKinds.Process
        ? new ProcessRuntimeDriver(
            Options.Create(new ProcessRuntimeOptions { RuntimeDirectory = FolderOf(target.Name) }), time, loggers.CreateLogger<ProcessRuntimeDriver>(), hostCommands, artifacts)
        : new SwarmRuntimeDriver(Options.Create(OptionsOf(target)), time, loggers.CreateLogger<SwarmRuntimeDriver>(), registryLogins);

    public void Delete(string target)
    {
        var folder = FolderOf(target);
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private SwarmRuntimeOptions OptionsOf(TargetRecord target)
    {
        var folder = FolderOf(target.Name);
        if (target.Tls is { } tls)
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(folder);
            }
            else
            {
                System.IO.Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            OwnerOnlyFile.WriteText(Path.Combine(folder, DockerConnectionSettings.CaFileName), tls.Ca);
            OwnerOnlyFile.WriteText(Path.Combine(folder, DockerConnectionSettings.CertFileName), tls.Certificate);
            OwnerOnlyFile.WriteText(Path.Combine(folder, DockerConnectionSettings.KeyFileName), tls.Key);
        }

        return new SwarmRuntimeOptions
        {
            Endpoint = target.Endpoint ?? DockerConnectionSettings.LocalSocket,
            TlsVerify = target.Tls is not null,
            CertPath = folder,
            Owner = _options.Owner,
            LocalTasksAtNodeAddress = _options.TasksAtNodeAddress,
        };
    }

    private string FolderOf(string target) => Path.Combine(_options.Directory, target);
}
