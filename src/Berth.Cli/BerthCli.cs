using System.Diagnostics.CodeAnalysis;
using Berth.Cli.Commands.Audit;
using Berth.Cli.Commands.Build;
using Berth.Cli.Commands.Config;
using Berth.Cli.Commands.Contexts;
using Berth.Cli.Commands.Deploy;
using Berth.Cli.Commands.Events;
using Berth.Cli.Commands.Logs;
using Berth.Cli.Commands.Nodes;
using Berth.Cli.Commands.Registries;
using Berth.Cli.Commands.Releases;
using Berth.Cli.Commands.Replicas;
using Berth.Cli.Commands.Rollouts;
using Berth.Cli.Commands.Routers;
using Berth.Cli.Commands.Rollouts.Report;
using Berth.Cli.Commands.Scale;
using Berth.Cli.Commands.Secrets;
using Berth.Cli.Commands.Server;
using Berth.Cli.Commands.Services;
using Berth.Cli.Commands.Stacks;
using Berth.Cli.Commands.Tokens;
using Berth.Cli.Usage;
using Spectre.Console.Cli;

namespace Berth.Cli;

/// <summary>The `berth` command line: builds the CommandApp and runs it; the one entry point for Program and tests.</summary>
public static class BerthCli
{
    /// <summary>Runs `berth ARGS` against <paramref name="cli"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment cli, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(cli);
        return Build(cli, new CliExceptionHandler(cli, new UsageErrors(cli, args)), usageOnly: false, TopLevelCommand(args)).RunAsync(args, cancellationToken);
    }

    /// <summary>
    /// The configured app. Parsing is strict: an unknown option, a missing value or an extra argument is an error
    /// (exit 2, with the command's usage), never silently ignored. <paramref name="usageOnly"/>: help without
    /// descriptions and examples, as printed under such an error. <paramref name="only"/>: the one top-level command or
    /// branch to register (null: all). Spectre builds its model of every command it knows, by reflection, before it parses:
    /// a command line that names its verb needs only that one, and starts faster.
    /// </summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Spectre.Console.Cli and this assembly (every command and settings type) are kept whole in the AOT publish (TrimmerRootAssembly); the tests of the compiled binary run its verbs.")]
    internal static CommandApp Build(CliEnvironment cli, CliExceptionHandler handler, bool usageOnly, string? only = null)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("berth");
            config.ConfigureConsole(cli.Out);
            config.UseStrictParsing();
            if (usageOnly)
            {
                config.SetHelpProvider(new UsageHelpProvider(config.Settings));
            }

            config.Settings.Registrar.RegisterInstance(cli);
            config.Settings.Registrar.RegisterInstance<ICommandInterceptor>(new CommandLineInterceptor());
            config.Settings.PropagateExceptions = false;
            config.SetExceptionHandler((exception, _) => handler.Handle(exception));
            config.CancellationExitCode(ExitCodes.Cancelled);
            if (cli.ValidateExamples)
            {
                config.ValidateExamples();
            }

            foreach (var (name, register) in Commands)
            {
                if (only is null || only == name)
                {
                    register(config);
                }
            }
        });
        return app;
    }

    /// <summary>The top-level command or branch <paramref name="args"/> start with; null when they start otherwise (`--help`, a typo: all are needed).</summary>
    internal static string? TopLevelCommand(IReadOnlyList<string> args) =>
        args.Count > 0 && Array.Exists(Commands, c => c.Name == args[0]) ? args[0] : null;

    /// <summary>The top-level commands and branches, in the order help lists them.</summary>
    private static readonly (string Name, Action<IConfigurator> Register)[] Commands =
    [
        ("deploy", config => config.AddCommand<DeployCommand>("deploy")
            .WithDescription("Deploy or update a stack from compose files, and wait until it is healthy.")
            .WithExample("deploy", "-c", "docker-compose.yml", "articles")
            .WithExample("deploy", "-c", "docker-compose.yml", "-c", "prod.yml", "--detach", "articles")
            .WithExample("deploy", "-c", "docker-compose.yml", "articles", "--env", "dev")),
        ("build", config => config.AddCommand<BuildCommand>("build")
            .WithDescription("Build the images of services with a build: section through the Docker Engine API (no server needed).")
            .WithExample("build", "-c", "docker-compose.yml", "app", "--push")),
        ("config", config => config.AddCommand<ConfigCommand>("config")
            .WithDescription("Validate compose files and print the normalized result (no server needed).")
            .WithExample("config", "-c", "docker-compose.yml")),
        ("service", config => config.AddBranch("service", service =>
        {
            service.SetDescription("Inspect services.");
            service.AddCommand<ServiceListCommand>("ls").WithAlias("list").WithDescription("List services.");
            service.AddCommand<ServiceInspectCommand>("inspect").WithDescription("Show one service.")
                .WithExample("service", "inspect", "articles_app");
        })),
        ("ps", config => config.AddCommand<PsCommand>("ps")
            .WithDescription("List the replicas of a stack.")
            .WithExample("ps", "articles")),
        ("scale", config => config.AddCommand<ScaleCommand>("scale")
            .WithDescription("Set the replica count of one or more services (all or nothing).")
            .WithExample("scale", "articles_app=5", "articles_api=2")),
        ("releases", config => config.AddCommand<ReleaseListCommand>("releases")
            .WithDescription("List the releases of a service, newest first.")
            .WithExample("releases", "articles_app")),
        ("rollout", config => config.AddBranch("rollout", rollout =>
        {
            rollout.SetDescription("Follow and steer a service's rollout.");
            rollout.AddCommand<RolloutStatusCommand>("status")
                .WithDescription("Show the latest rollout (step, weight and KPIs for blue/green and canary); --watch waits for it to settle (exit 0 only if completed).")
                .WithExample("rollout", "status", "articles_app", "--watch", "--timeout", "10m");
            rollout.AddCommand<RolloutPauseCommand>("pause").WithDescription("Pause the active rollout.")
                .WithExample("rollout", "pause", "articles_app");
            rollout.AddCommand<RolloutResumeCommand>("resume").WithDescription("Resume a paused rollout.")
                .WithExample("rollout", "resume", "articles_app");
            rollout.AddCommand<RolloutRetryCommand>("retry").WithDescription("Start an aborted blue/green or canary rollout again from its first step.")
                .WithExample("rollout", "retry", "articles_app");
            rollout.AddCommand<RolloutReportCommand>("report")
                .WithDescription("Explain a blue/green or canary rollout: settings, timeline, KPIs (md, json or html).")
                .WithExample("rollout", "report", "articles_app")
                .WithExample("rollout", "report", "articles_app", "3", "--format", "html", "--output", "rollout.html");
        })),
        ("promote", config => config.AddCommand<PromoteCommand>("promote")
            .WithDescription("Let a blue/green or canary rollout waiting at a pause or gate go on; --full skips every remaining step.")
            .WithExample("promote", "articles_app")
            .WithExample("promote", "articles_app", "--full")),
        ("abort", config => config.AddCommand<AbortCommand>("abort")
            .WithDescription("Stop a blue/green or canary rollout: the new release gets no traffic and is removed.")
            .WithExample("abort", "articles_app")),
        ("rollback", config => config.AddCommand<RollbackCommand>("rollback")
            .WithDescription("Roll a service back to an earlier release, and wait until it is done; with --env, a whole environment of a stack.")
            .WithExample("rollback", "articles_app")
            .WithExample("rollback", "articles_app", "--to", "1", "--detach")
            .WithExample("rollback", "articles", "--env", "prod", "--to", "3")),
        ("release", config => config.AddBranch("release", release =>
        {
            release.SetDescription("Create and list stack releases: the whole stack, pinned, carried through its environments.");
            release.AddCommand<Commands.Environments.ReleaseCreateCommand>("create")
                .WithDescription("Create a stack release from compose files declaring x-berth.environments; it enters the first environment.")
                .WithExample("release", "create", "-c", "docker-compose.yml", "articles", "--version", "1.4.0");
            release.AddCommand<Commands.Environments.StackReleaseListCommand>("ls").WithAlias("list").WithDescription("List a stack's releases, newest first.")
                .WithExample("release", "ls", "articles");
        })),
        ("env", config => config.AddBranch("env", env =>
        {
            env.SetDescription("See a stack's environments (dev, staging, prod…).");
            env.AddCommand<Commands.Environments.EnvironmentListCommand>("ls").WithAlias("list")
                .WithDescription("List a stack's environments: release, state, since when, the release waiting for approval.")
                .WithExample("env", "ls", "articles");
        })),
        ("history", config => config.AddCommand<Commands.Environments.HistoryCommand>("history")
            .WithDescription("Show every passage of a stack's releases through its environments: who, what, when, result.")
            .WithExample("history", "articles", "--env", "prod")),
        ("approve", config => config.AddCommand<Commands.Environments.ApproveCommand>("approve")
            .WithDescription("Let a release waiting for approval enter an environment (approver or admin).")
            .WithExample("approve", "articles", "4", "--env", "prod", "--comment", "QA ok")),
        ("reject", config => config.AddCommand<Commands.Environments.RejectCommand>("reject")
            .WithDescription("Refuse a release waiting for approval to enter an environment (approver or admin).")
            .WithExample("reject", "articles", "4", "--env", "prod", "--comment", "fails the load test")),
        ("diff", config => config.AddCommand<Commands.Environments.DiffCommand>("diff")
            .WithDescription("Show what differs between the releases two environments of a stack run.")
            .WithExample("diff", "articles", "--env", "staging", "--env", "prod")),
        ("target", config => config.AddBranch("target", target =>
        {
            target.SetDescription("The deploy targets environments name: local (the server's own runtime) and Docker Swarm managers an admin adds.");
            target.AddCommand<Commands.Environments.TargetListCommand>("ls").WithAlias("list").WithDescription("List deploy targets: name, kind, engine address.");
            target.AddCommand<Commands.Environments.TargetAddCommand>("add")
                .WithDescription("Add a Docker Swarm manager as a deploy target (admin); the server checks that its engine answers. TLS files are read here and sent.")
                .WithExample("target", "add", "prod-east", "--docker-host", "tcp://10.0.0.5:2376", "--docker-cert-path", "certs/prod-east")
                .WithExample("target", "add", "prod-east", "--docker-host", "tcp://10.0.0.5:2376", "--docker-tls-ca", "ca.pem", "--docker-tls-cert", "cert.pem", "--docker-tls-key", "key.pem");
            target.AddCommand<Commands.Environments.TargetRemoveCommand>("rm").WithAlias("remove")
                .WithDescription("Remove a target an admin added (refused while services run on it).")
                .WithExample("target", "rm", "prod-east");
        })),
        ("rm", config => config.AddCommand<StackRemoveCommand>("rm")
            .WithDescription("Remove a stack; waits until its replicas have stopped (--detach: return at once).")
            .WithExample("rm", "articles")
            .WithExample("rm", "articles", "--timeout", "30s")),
        ("stack", config => config.AddBranch("stack", stack =>
        {
            stack.SetDescription("Manage stacks.");
            stack.AddCommand<StackListCommand>("ls").WithAlias("list").WithDescription("List stacks.");
            stack.AddCommand<StackRemoveCommand>("rm").WithAlias("remove").WithDescription("Remove a stack; waits until its replicas have stopped (--detach: return at once).");
        })),
        ("logs", config => config.AddCommand<LogsCommand>("logs")
            .WithDescription("Print the output of a service's replicas.")
            .WithExample("logs", "articles_app", "--follow", "--tail", "20")),
        ("events", config => config.AddCommand<EventsCommand>("events")
            .WithDescription("Print the event log.")
            .WithExample("events", "--follow", "--service", "articles_app")),
        ("replica", config => config.AddBranch("replica", replica =>
        {
            replica.SetDescription("Manage replicas.");
            replica.AddCommand<ReplicaListCommand>("ls").WithAlias("list").WithDescription("List replicas of every stack.");
            replica.AddCommand<ReplicaKillCommand>("kill").WithDescription("Kill a replica (the restart policy applies).");
        })),
        ("node", config => config.AddBranch("node", node =>
        {
            node.SetDescription("Inspect and drain nodes.");
            node.AddCommand<NodeListCommand>("ls").WithAlias("list").WithDescription("List nodes.");
            node.AddCommand<NodeDrainCommand>("drain").WithDescription("Drain a node: its replicas move to other nodes (swarm runtime).");
            node.AddCommand<NodeActivateCommand>("activate").WithDescription("Make a drained or paused node take replicas again (swarm runtime).");
        })),
        ("token", config => config.AddBranch("token", token =>
        {
            token.SetDescription("Manage API tokens (admin).");
            token.AddCommand<TokenCreateCommand>("create")
                .WithDescription("Make a token with a role; it is printed once (the server keeps only its hash).")
                .WithExample("token", "create", "ci", "--role", "deployer", "--expires", "30d");
            token.AddCommand<TokenListCommand>("ls").WithAlias("list").WithDescription("List tokens: name, role, state, expiry, last use (never a secret).");
            token.AddCommand<TokenRevokeCommand>("revoke").WithDescription("Revoke a token: refused from the next request on.")
                .WithExample("token", "revoke", "ci");
        })),
        ("registry", config => config.AddBranch("registry", registry =>
        {
            registry.SetDescription("Registry logins the CLI pushes with (berth build --push) and sends with deploy --with-registry-auth.");
            registry.AddCommand<RegistryLoginCommand>("login")
                .WithDescription("Check a login with the registry, then keep it (docker's credential helper if config.json names one, else Berth's registries.json, 0600).")
                .WithExample("registry", "login", "ghcr.io", "-u", "octocat", "--password-stdin");
            registry.AddCommand<RegistryLogoutCommand>("logout").WithDescription("Forget the login kept for a registry.").WithExample("registry", "logout", "ghcr.io");
            registry.AddCommand<RegistryListCommand>("ls").WithAlias("list").WithDescription("List the logins the CLI can push with, and their source (never a password).");
        })),
        ("secret", config => config.AddBranch("secret", secret =>
        {
            secret.SetDescription("Secrets the server keeps per stack: what the stack's external secrets resolve to (each environment has its own).");
            secret.AddCommand<SecretSetCommand>("set")
                .WithDescription("Keep a secret's content (stdin or FILE) for a stack; its external secret NAME uses it from the next deploy on.")
                .WithExample("secret", "set", "articles", "api_key", "--env", "prod");
            secret.AddCommand<SecretListCommand>("ls").WithAlias("list").WithDescription("List the kept secrets: stack, name, size, who set them when (never a content).");
            secret.AddCommand<SecretRemoveCommand>("rm").WithAlias("remove").WithDescription("Forget a kept secret (releases that used it keep their copy).").WithExample("secret", "rm", "articles", "api_key", "--env", "prod");
        })),
        ("context", config => config.AddBranch("context", context =>
        {
            context.SetDescription("Name the servers this CLI talks to, with their tokens and CAs.");
            context.AddCommand<ContextCreateCommand>("create")
                .WithDescription("Remember a server, its token (a file, or read from stdin) and its CA under a name.")
                .WithExample("context", "create", "prod", "--host", "https://berth.example.com:7070", "--token-file", "prod.token", "--tls-ca", "ca.pem");
            context.AddCommand<ContextUseCommand>("use").WithDescription("Make a context the current one ('default': BERTH_HOST or the local server).")
                .WithExample("context", "use", "prod");
            context.AddCommand<ContextListCommand>("ls").WithAlias("list").WithDescription("List contexts; * marks the current one.");
            context.AddCommand<ContextRemoveCommand>("rm").WithAlias("remove").WithDescription("Forget a context.")
                .WithExample("context", "rm", "prod");
        })),
        ("audit", config => config.AddCommand<AuditCommand>("audit")
            .WithDescription("Show the audit log: every change and every refused attempt, who, from where (admin).")
            .WithExample("audit", "--since", "1h")),
        ("whoami", config => config.AddCommand<WhoAmICommand>("whoami").WithDescription("Show the server, the token (name and role) and where the CLI took it from.")),
        ("version", config => config.AddCommand<VersionCommand>("version").WithDescription("Show client and server versions.")),
        ("backup", config => config.AddCommand<Commands.Backup.BackupCommand>("backup")
            .WithDescription("Write a consistent copy of the server's store to FILE (admin); `berth server --restore FILE` puts it back.")
            .WithExample("backup", "berth-backup.db")),
        ("router", config => config.AddBranch("router", router =>
        {
            router.SetDescription("The routers (data plane): each serves the published ports and follows the server's routes.");
            router.AddCommand<RouterListCommand>("ls").WithAlias("list").WithDescription("List routers: node, version, route version applied, state.");
            router.AddCommand<RouterRestartCommand>("restart").WithDescription("Replace the server's router by a new process of this binary that takes its listening sockets over: no connection refused.")
                .WithExample("router", "restart");
            router.AddCommand<RouterStopCommand>("stop").WithDescription("Stop the server's router until the server starts again (published ports stop answering).")
                .WithExample("router", "stop");
            router.AddCommand<RouterRunCommand>("run").WithDescription("Run a router process following a server (the server starts its own on the process runtime).")
                .WithExample("router", "run", "--server", "http://127.0.0.1:7070", "--token-file", "router.token", "--state", ".berth/routers/local");
        })),
        ("server", config => config.AddCommand<ServerCommand>("server")
            .WithDescription("Run the Berth server in this process (Ctrl-C to stop).")
            .WithExample("server", "--data", ".berth", "--listen", "127.0.0.1:7070")),
    ];
}
