using System.ComponentModel;
using System.Globalization;
using Berth.Deployments;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Server;

/// <summary>`berth server [--data DIR] [--listen ADDR:PORT] [--runtime process|swarm] [--routers local|global] [--router-image IMAGE] [--max-replicas N] [--tls-cert F --tls-key F] [--insecure] [--exec-root DIR...] [--restore FILE]`.</summary>
public sealed class ServerSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Folder for the store, replica logs and runtime files.")]
    [DefaultValue(".berth")]
    public string DataDirectory { get; init; } = ".berth";

    [CommandOption("--listen <ADDR:PORT>")]
    [Description("Address and port of the API (loopback by default).")]
    [DefaultValue("127.0.0.1:7070")]
    public string Listen { get; init; } = "127.0.0.1:7070";

    [CommandOption("--runtime <RUNTIME>")]
    [Description("Where replicas run: process (local OS processes) or swarm (Docker Swarm).")]
    [DefaultValue("process")]
    public string Runtime { get; init; } = "process";

    [CommandOption("--routers <MODE>")]
    [Description("Where the routers run: local (one router process on this machine, the default) or global (Swarm runtime: a router on every node, as a Swarm service in global mode on the host network).")]
    [DefaultValue("local")]
    public string Routers { get; init; } = "local";

    [CommandOption("--router-image <IMAGE>")]
    [Description("With --routers global: the router image, which every node must have (scripts/router-image.sh makes berth-router:10).")]
    public string? RouterImage { get; init; }

    [CommandOption("--max-replicas <N>")]
    [Description("Most replicas one service may ask for; deploy and scale refuse more. Default 1000.")]
    public string? MaxReplicas { get; init; }

    /// <summary>--max-replicas as a number (default 1000); <see cref="Validate"/> has checked it.</summary>
    public int MaxReplicasCount => (int?)OptionValues.WholeNumber(MaxReplicas) ?? DeploymentLimitsOptions.DefaultMaxReplicas;

    [CommandOption("--tls-cert <FILE>")]
    [Description("PEM certificate for the API's TLS (with --tls-key). Needed to listen on a non-loopback address.")]
    public string? TlsCertificate { get; init; }

    [CommandOption("--tls-key <FILE>")]
    [Description("PEM private key of --tls-cert.")]
    public string? TlsKey { get; init; }

    [CommandOption("--insecure")]
    [Description("Allow plain HTTP on a non-loopback address (tokens cross the network in clear; warned at every start).")]
    public bool Insecure { get; init; }

    [CommandOption("--exec-root <DIR>")]
    [Description("Allow host commands (process-runtime replicas, healthchecks, smoke commands) only from under DIR; repeat for more folders. Default: no restriction.")]
    public string[] ExecRoots { get; init; } = [];

    [CommandOption("--restore <FILE>")]
    [Description("Before starting, replace the store with FILE (made by `berth backup FILE`); the store it replaces is kept as berth.db.before-restore-TIME. Replica processes the restored store does not know are stopped.")]
    public string? Restore { get; init; }

    /// <summary>These settings as `berth server` options, one value per option, as the server executable reads them back.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string> { "--data", DataDirectory, "--listen", Listen, "--runtime", Runtime, "--routers", Routers };
        if (RouterImage is not null)
        {
            args.AddRange(["--router-image", RouterImage]);
        }

        if (MaxReplicas is not null)
        {
            args.AddRange(["--max-replicas", MaxReplicas]);
        }

        if (TlsCertificate is not null)
        {
            args.AddRange(["--tls-cert", TlsCertificate]);
        }

        if (TlsKey is not null)
        {
            args.AddRange(["--tls-key", TlsKey]);
        }

        if (Insecure)
        {
            args.Add("--insecure");
        }

        foreach (var root in ExecRoots)
        {
            args.AddRange(["--exec-root", root]);
        }

        if (Restore is not null)
        {
            args.AddRange(["--restore", Restore]);
        }

        return args;
    }

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("--data must not be empty.");
        }

        var colon = Listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(Listen[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            problems.Add($"--listen: '{Listen}' is not ADDRESS:PORT, e.g. 127.0.0.1:7070.");
        }

        if (Runtime is not ("process" or "swarm"))
        {
            problems.Add($"--runtime: '{Runtime}' is not one of process, swarm.");
        }

        if (Routers is not ("local" or "global"))
        {
            problems.Add($"--routers: '{Routers}' is not one of local, global.");
        }
        else if (Routers == "global" && Runtime != "swarm")
        {
            problems.Add("--routers global runs a router on every node of a Swarm: it needs --runtime swarm (the process runtime has one machine: its router is local).");
        }

        if (RouterImage is not null && Routers != "global")
        {
            problems.Add("--router-image is the image of the global routers: give it with --routers global.");
        }

        if (MaxReplicas is not null && !OptionValues.TryWholeNumber(MaxReplicas, 1, out _))
        {
            problems.Add(OptionValues.NotAWholeNumber("--max-replicas", MaxReplicas, 1, "a number of replicas"));
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(Environment.NewLine, problems));
    }
}
