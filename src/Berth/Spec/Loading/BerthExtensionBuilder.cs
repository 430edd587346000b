namespace Berth.Spec.Loading;

/// <summary>
/// Builds <see cref="BerthServiceSpec"/> from a service's <c>x-berth</c> field. Keys reserved for later work
/// (strategy, canary, blue_green, router, runtime) are accepted; any other key is an error.
/// </summary>
internal static class BerthExtensionBuilder
{
    public static BerthServiceSpec Build(ComposeNode node, string path, NodeReader r)
    {
        var spec = new BerthServiceSpec();
        if (r.Section(node, path, KnownKeys.Berth) is not { } m)
        {
            return spec;
        }

        spec = spec with
        {
            Reserved = m.Entries
                .Where(e => KnownKeys.Berth.Reserved.Contains(e.Key.Value!))
                .ToDictionary(e => e.Key.Value!, e => ExtensionJson.ToJson(e.Value), StringComparer.Ordinal),
        };

        if (m.Get("process") is { } process)
        {
            spec = spec with { Process = Process(process, KeyPath.Join(path, "process"), r) };
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

        return spec;
    }

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
        return new ProcessSpec { Command = command, WorkingDir = workingDir, Environment = environment };
    }
}
