namespace Berth.Spec.Loading;

/// <summary>
/// Builds <see cref="BerthServiceSpec"/> from a service's <c>x-berth</c> field; any unknown key is an error.
/// </summary>
internal static class BerthExtensionBuilder
{
    /// <param name="ports">The service's ports (a strategy's preview port must not reuse one).</param>
    public static BerthServiceSpec Build(ComposeNode node, string path, NodeReader r, IReadOnlyList<PortSpec> ports)
    {
        var spec = new BerthServiceSpec();
        if (r.Section(node, path, KnownKeys.Berth) is not { } m)
        {
            return spec;
        }

        if (m.Get("runtime") is { } runtime)
        {
            spec = spec with { Runtime = r.OneOf(runtime, KeyPath.Join(path, "runtime"), RuntimeNames) };
        }

        if (m.Get("process") is { } process)
        {
            spec = spec with { Process = Process(process, KeyPath.Join(path, "process"), r) };
        }

        if (m.Get("artifact") is { } artifact)
        {
            spec = spec with { Artifact = Artifact(artifact, KeyPath.Join(path, "artifact"), r) };
        }

        if (m.Get("health") is { } health && r.Section(health, KeyPath.Join(path, "health"), KnownKeys.BerthHealth) is { } h)
        {
            string? httpPath = null;
            if (h.Get("http_path") is { } hp && r.String(hp, KeyPath.Join(path, "health.http_path")) is { } value)
            {
                if (value.StartsWith('/'))
                {
                    httpPath = value;
                }
                else
                {
                    r.Diagnostics.Error(hp, KeyPath.Join(path, "health.http_path"), $"must be a path starting with /, e.g. /healthz (got \"{value}\")");
                }
            }

            spec = spec with { Health = new BerthHealthSpec { HttpPath = httpPath } };
        }

        if (m.Get("router") is { } router)
        {
            spec = spec with { Router = Router(router, KeyPath.Join(path, "router"), r) };
        }

        return spec with { Strategy = StrategySpecBuilder.Build(m, path, r, ports) };
    }

    /// <summary>The runtimes a server can run (<c>berth server --runtime</c>).</summary>
    public static readonly string[] RuntimeNames = ["process", "swarm"];

    private static readonly string[] BalancingNames = ["power_of_two_choices", "least_requests", "round_robin", "random"];
    private static readonly string[] HttpMethods = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH", "TRACE"];

    private static RouterSpec? Router(ComposeNode node, string path, NodeReader r)
    {
        if (r.Section(node, path, KnownKeys.BerthRouter) is not { } m)
        {
            return null;
        }

        string At(string key) => KeyPath.Join(path, key);
        var spec = new RouterSpec
        {
            Balancing = m.Get("balancing") is { } b ? r.OneOf(b, At("balancing"), BalancingNames) : null,
            UserHeader = m.Get("user_header") is { } uh ? r.String(uh, At("user_header")) : null,
            UserCookie = m.Get("user_cookie") is { } uc ? r.String(uc, At("user_cookie")) : null,
            OverrideHeader = m.Get("override_header") is { } oh ? r.String(oh, At("override_header")) : null,
            ServedByHeader = m.Get("served_by_header") is { } sb ? r.Bool(sb, At("served_by_header")) : null,
            HealthPath = m.Get("health_path") is { } hp ? r.String(hp, At("health_path")) : null,
            HealthInterval = m.Get("health_interval") is { } hi ? r.Duration(hi, At("health_interval")) : null,
            HealthTimeout = m.Get("health_timeout") is { } ht ? r.Duration(ht, At("health_timeout")) : null,
            EjectAfterFailures = m.Get("eject_after_failures") is { } ef ? r.Int(ef, At("eject_after_failures"), min: 1, max: 1000) : null,
            EjectionPeriod = m.Get("ejection_period") is { } ep ? r.Duration(ep, At("ejection_period")) : null,
            DrainTimeout = m.Get("drain_timeout") is { } dt ? r.Duration(dt, At("drain_timeout")) : null,
            ResponseTimeout = m.Get("response_timeout") is { } rt ? r.Duration(rt, At("response_timeout")) : null,
            RetryMethods = m.Get("retry_methods") is { } rm ? r.StringList(rm, At("retry_methods"))?.Select(x => x.ToUpperInvariant()).ToList() : null,
        };

        if (spec.ResponseTimeout is { } responseTimeout && responseTimeout <= TimeSpan.Zero)
        {
            r.Diagnostics.Error(m.Get("response_timeout")!, At("response_timeout"), $"must be longer than 0, e.g. 30s (got {DurationCodec.Format(responseTimeout)})");
        }

        if (spec.HealthPath is { } healthPath && !healthPath.StartsWith('/'))
        {
            r.Diagnostics.Error(m.Get("health_path")!, At("health_path"), $"must be a path starting with /, e.g. /healthz (got \"{healthPath}\")");
        }

        foreach (var method in spec.RetryMethods ?? [])
        {
            if (!HttpMethods.Contains(method))
            {
                r.Diagnostics.Error(m.Get("retry_methods")!, At("retry_methods"), $"must list HTTP methods among {string.Join(", ", HttpMethods)} (got \"{method}\")");
            }
        }

        return spec;
    }

    private static ArtifactSpec? Artifact(ComposeNode node, string path, NodeReader r)
    {
        if (r.Section(node, path, KnownKeys.BerthArtifact) is not { } m)
        {
            return null;
        }

        var command = Command(m.Get("command"), KeyPath.Join(path, "command"), r);
        if (command is null or [])
        {
            r.Diagnostics.Error(
                m.Get("command") ?? m, KeyPath.Join(path, "command"),
                "x-berth.artifact.command is required and must not be empty, e.g. [\"dotnet\", \"publish\", \"src/App\", \"-c\", \"Release\", \"-o\", \"publish\"]");
            return null;
        }

        var output = ".";
        if (m.Get("output") is { } o && r.String(o, KeyPath.Join(path, "output")) is { } folder)
        {
            var normalized = folder.Replace('\\', '/').TrimEnd('/');
            if (Path.IsPathRooted(folder) || normalized.Split('/').Contains("..") || normalized.Length == 0)
            {
                r.Diagnostics.Error(o, KeyPath.Join(path, "output"), $"must be a folder inside build.context, relative to it, e.g. publish (got \"{folder}\")");
            }
            else
            {
                output = normalized;
            }
        }

        return new ArtifactSpec { Command = command, Output = output };
    }

    /// <summary>A command in exec form, or a string run by /bin/sh -c; null when absent or invalid.</summary>
    private static List<string>? Command(ComposeNode? node, string path, NodeReader r) => node switch
    {
        null => null,
        ScalarNode { Value: not null } line => line.Value.Trim().Length == 0 ? [] : ["/bin/sh", "-c", line.Value],
        _ => r.StringList(node, path),
    };

    private static ProcessSpec? Process(ComposeNode node, string path, NodeReader r)
    {
        if (r.Section(node, path, KnownKeys.BerthProcess) is not { } m)
        {
            return null;
        }

        var commandPath = KeyPath.Join(path, "command");
        List<string>? command = null;
        if (m.Get("command") is ScalarNode { Value: not null } line)
        {
            command = line.Value.Trim().Length == 0 ? [] : ["/bin/sh", "-c", line.Value];
        }
        else if (m.Get("command") is { } list)
        {
            command = r.StringList(list, commandPath);
        }

        if (command is null or [])
        {
            r.Diagnostics.Error(m.Get("command") ?? m, commandPath, "x-berth.process.command is required and must not be empty, e.g. [\"dotnet\", \"app.dll\", \"--urls\", \"http://127.0.0.1:${PORT}\"]");
            return null;
        }

        string? workingDir = null;
        if (m.Get("working_dir") is { } wd && r.String(wd, KeyPath.Join(path, "working_dir")) is { } dir)
        {
            workingDir = r.ResolvePath(dir, wd, KeyPath.Join(path, "working_dir"));
        }

        var environment = m.Get("environment") is { } env
            ? (r.StringMap(env, KeyPath.Join(path, "environment"), _ => "") ?? []).ToDictionary(kv => kv.Key, kv => kv.Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var fromArtifact = m.Get("artifact") is { } a && r.Bool(a, KeyPath.Join(path, "artifact")) == true;
        return new ProcessSpec { Command = command, WorkingDir = workingDir, Environment = environment, FromArtifact = fromArtifact };
    }
}
