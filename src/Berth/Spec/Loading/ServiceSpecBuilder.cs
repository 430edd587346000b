using System.Globalization;
using System.Text.Json;

namespace Berth.Spec.Loading;

/// <summary>Builds one <see cref="ServiceSpec"/> from its merged, interpolated mapping (short forms expanded).</summary>
internal sealed class ServiceSpecBuilder(NodeReader r)
{
    public async Task<ServiceSpec?> BuildAsync(string name, ComposeNode node, CancellationToken cancellationToken)
    {
        var path = $"services.{name}";
        if (r.Section(node, path, KnownKeys.Service) is not { } m)
        {
            return null;
        }

        string P(string key) => KeyPath.Join(path, key);
        var spec = new ServiceSpec { Name = name };
        if (m.Get("image") is { } image)
        {
            spec = spec with { Image = NonEmpty(image, P("image")) };
        }

        if (m.Get("build") is { } build)
        {
            spec = spec with { Build = Build(build, P("build")) };
        }

        if (m.Get("command") is { } command)
        {
            spec = spec with { Command = Command(command, P("command")) };
        }

        if (m.Get("entrypoint") is { } entrypoint)
        {
            spec = spec with { Entrypoint = Command(entrypoint, P("entrypoint")) };
        }

        spec = spec with { Environment = await EnvironmentAsync(m, path, cancellationToken).ConfigureAwait(false) };
        if (m.Get("ports") is { } ports)
        {
            spec = spec with { Ports = PortParser.ReadAll(ports, P("ports"), r) };
        }

        if (m.Get("healthcheck") is { } healthcheck)
        {
            spec = spec with { Healthcheck = HealthcheckSpecBuilder.Build(healthcheck, P("healthcheck"), r) };
        }

        if (m.Get("depends_on") is { } dependsOn)
        {
            spec = spec with { DependsOn = DependsOn(dependsOn, P("depends_on")) };
        }

        if (m.Get("secrets") is { } secrets)
        {
            spec = spec with { Secrets = Secrets(secrets, P("secrets")) };
        }

        if (m.Get("labels") is { } labels)
        {
            spec = spec with { Labels = DeploySpecBuilder.Labels(labels, P("labels"), r) };
        }

        if (m.Get("working_dir") is { } workingDir)
        {
            spec = spec with { WorkingDir = r.String(workingDir, P("working_dir")) };
        }

        if (m.Get("stop_grace_period") is { } grace)
        {
            spec = spec with { StopGracePeriod = r.Duration(grace, P("stop_grace_period")) ?? spec.StopGracePeriod };
        }

        // deploy: with nothing under it is null, which the Compose schema allows: Swarm's defaults.
        if (m.Get("deploy") is { } deploy and not ScalarNode { Value: null })
        {
            spec = spec with { Deploy = DeploySpecBuilder.Build(deploy, P("deploy"), r) };
        }

        if (m.Get("x-berth") is { } berth)
        {
            spec = spec with { Berth = BerthExtensionBuilder.Build(berth, P("x-berth"), r, spec.Ports) };
            if (spec.Berth.Artifact is not null && spec.Build is null && berth is MappingNode map && map.Get("artifact") is { } artifact)
            {
                r.Diagnostics.Error(artifact, P("x-berth.artifact"), "needs a build: section: its command runs in build.context (e.g. build: {context: .})");
            }

            if (spec.Berth.Process is { FromArtifact: true } && spec.Berth.Artifact is null && berth is MappingNode b && b.Get("process") is MappingNode process)
            {
                r.Diagnostics.Error(
                    process.Get("artifact")!, P("x-berth.process.artifact"),
                    "needs x-berth.artifact (its command and output folder make the files replicas run), e.g. artifact: {command: [dotnet, publish, -o, out], output: out}");
            }
        }

        spec = spec with
        {
            Extensions = m.Entries
                .Where(e => e.Key.Value!.StartsWith("x-", StringComparison.Ordinal) && e.Key.Value != "x-berth")
                .ToDictionary(e => e.Key.Value!, e => ExtensionJson.ToJson(e.Value), StringComparer.Ordinal),
        };

        // Judged on what is written, so a bad image or process is reported once, not also as "nothing to run".
        var berthNode = m.Get("x-berth") as MappingNode;
        if (m.Get("image") is null && m.Get("build") is null && berthNode?.Get("process") is null)
        {
            r.Diagnostics.Error(berthNode ?? m, berthNode is null ? path : P("x-berth"), $"service {name} has nothing to run: set image, build or x-berth.process.command");
        }

        return spec;
    }

    private string? NonEmpty(ComposeNode node, string path)
    {
        var value = r.String(node, path);
        if (value is not null && value.Trim().Length == 0)
        {
            r.Diagnostics.Error(node, path, "must not be empty");
            return null;
        }

        return value;
    }

    private BuildSpec? Build(ComposeNode node, string path)
    {
        if (r.Section(node, path, KnownKeys.Build) is not { } m)
        {
            return null;
        }

        var context = m.Get("context") is { } c ? r.String(c, KeyPath.Join(path, "context")) ?? "." : ".";
        return new BuildSpec
        {
            Context = r.ResolvePath(context, m.Get("context") ?? m, KeyPath.Join(path, "context")) ?? context,
            Dockerfile = m.Get("dockerfile") is { } d ? r.String(d, KeyPath.Join(path, "dockerfile")) : null,
            Target = m.Get("target") is { } t ? r.String(t, KeyPath.Join(path, "target")) : null,
            Args = m.Get("args") is { } a ? r.StringMap(a, KeyPath.Join(path, "args"), Variable) ?? [] : new Dictionary<string, string?>(),
        };
    }

    private string? Variable(string name) => r.Variables.TryGetValue(name, out var value) ? value : null;

    private List<string>? Command(ComposeNode node, string path)
    {
        if (node is ScalarNode { Value: null })
        {
            return null;
        }

        if (node is ScalarNode { Value: not null } s)
        {
            var words = ShellWords.TrySplit(s.Value, out var problem);
            if (words is null)
            {
                r.Diagnostics.Error(node, path, $"cannot split the command into words: {problem}; write it as a list, e.g. [\"sh\", \"-c\", \"...\"]");
            }

            return words?.ToList();
        }

        return r.StringList(node, path);
    }

    private async Task<Dictionary<string, string?>> EnvironmentAsync(MappingNode m, string path, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (m.Get("env_file") is { } envFile)
        {
            foreach (var (file, required, node) in EnvFiles(envFile, KeyPath.Join(path, "env_file")))
            {
                if (r.ResolvePath(file, node, KeyPath.Join(path, "env_file")) is not { } fullPath)
                {
                    continue;
                }

                if (!required && !File.Exists(fullPath))
                {
                    continue;
                }

                var text = await BoundedFileReader.ReadTextAsync(fullPath, file, "env file", r.Diagnostics, cancellationToken).ConfigureAwait(false);
                if (text is null)
                {
                    continue;
                }

                var (entries, problems) = EnvFileReader.ParseAndInterpolate(text, Variable);
                foreach (var p in problems)
                {
                    r.Diagnostics.Error(new SourceMark(file, p.Line, p.Column), KeyPath.Join(path, "env_file"), p.Message);
                }

                foreach (var e in entries)
                {
                    result[e.Key] = e.Value ?? Variable(e.Key);
                }
            }
        }

        // environment wins over env_file; a key without a value is taken from the variables (null when unset).
        if (m.Get("environment") is { } environment && r.StringMap(environment, KeyPath.Join(path, "environment"), Variable) is { } env)
        {
            foreach (var (key, value) in env)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private List<(string Path, bool Required, ComposeNode Node)> EnvFiles(ComposeNode node, string path)
    {
        var result = new List<(string, bool, ComposeNode)>();
        IReadOnlyList<ComposeNode> items = node is SequenceNode list ? list.Items : [node];
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = node is SequenceNode ? KeyPath.Index(path, i) : path;
            if (items[i] is MappingNode entry)
            {
                KeyChecker.Check(entry, itemPath, KnownKeys.EnvFile, r.Diagnostics);
                var file = entry.Get("path") is { } p ? r.String(p, KeyPath.Join(itemPath, "path")) : null;
                var required = entry.Get("required") is not { } req || r.Bool(req, KeyPath.Join(itemPath, "required")) != false;
                if (file is null)
                {
                    r.Diagnostics.Error(entry, itemPath, "path is required, e.g. {path: ./app.env, required: false}");
                    continue;
                }

                result.Add((file, required, entry));
            }
            else if (r.String(items[i], itemPath) is { } file)
            {
                result.Add((file, true, items[i]));
            }
        }

        return result;
    }

    private Dictionary<string, DependsOnSpec> DependsOn(ComposeNode node, string path)
    {
        var result = new Dictionary<string, DependsOnSpec>(StringComparer.Ordinal);
        // Files are canonicalized before merging, so the list form is already a map here.
        if (r.Mapping(node, path) is not { } m)
        {
            return result;
        }

        foreach (var (key, value) in m.Entries)
        {
            var entryPath = KeyPath.Join(path, key.Value!);
            var spec = new DependsOnSpec();
            if (value is MappingNode entry)
            {
                KeyChecker.Check(entry, entryPath, KnownKeys.DependsOn, r.Diagnostics);
                if (entry.Get("condition") is { } c)
                {
                    spec = spec with { Condition = r.OneOf(c, KeyPath.Join(entryPath, "condition"), "service_started", "service_healthy", "service_completed_successfully") ?? spec.Condition };
                }

                if (entry.Get("restart") is { } restart)
                {
                    spec = spec with { Restart = r.Bool(restart, KeyPath.Join(entryPath, "restart")) ?? spec.Restart };
                }

                if (entry.Get("required") is { } required)
                {
                    spec = spec with { Required = r.Bool(required, KeyPath.Join(entryPath, "required")) ?? spec.Required };
                }
            }
            else if (value is not ScalarNode { Value: null })
            {
                r.Diagnostics.Error(value, entryPath, "must be a mapping like {condition: service_healthy}");
            }

            result[key.Value!] = spec;
        }

        return result;
    }

    private List<ServiceSecretSpec> Secrets(ComposeNode node, string path)
    {
        var result = new List<ServiceSecretSpec>();
        if (node is not SequenceNode list)
        {
            r.Diagnostics.Error(node, path, $"must be a list of secret names or {{source, target}} mappings (got {NodeReader.Describe(node)})");
            return result;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemPath = KeyPath.Index(path, i);
            if (list.Items[i] is MappingNode m)
            {
                KeyChecker.Check(m, itemPath, KnownKeys.ServiceSecret, r.Diagnostics);
                if (m.Get("source") is not { } source || r.String(source, KeyPath.Join(itemPath, "source")) is not { } sourceName)
                {
                    r.Diagnostics.Error(m, itemPath, "source is required: the name of a secret defined under the top-level secrets");
                    continue;
                }

                result.Add(new ServiceSecretSpec
                {
                    Source = sourceName,
                    Target = m.Get("target") is { } t ? r.String(t, KeyPath.Join(itemPath, "target")) : null,
                    Uid = m.Get("uid") is { } u ? r.String(u, KeyPath.Join(itemPath, "uid")) : null,
                    Gid = m.Get("gid") is { } g ? r.String(g, KeyPath.Join(itemPath, "gid")) : null,
                    Mode = m.Get("mode") is { } mode ? Mode(mode, KeyPath.Join(itemPath, "mode")) : null,
                });
            }
            else if (r.String(list.Items[i], itemPath) is { } name)
            {
                result.Add(new ServiceSecretSpec { Source = name });
            }
        }

        return result;
    }

    /// <summary>File mode: 0440 and 0o440 are octal (as YAML 1.1 and compose read them), other numbers decimal.</summary>
    private int? Mode(ComposeNode node, string path)
    {
        var text = r.String(node, path);
        if (text is null)
        {
            return null;
        }

        var octal = text.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? text[2..] : text.Length > 1 && text[0] == '0' ? text[1..] : null;
        try
        {
            if (octal is not null && octal.Length > 0 && octal.All(c => c is >= '0' and <= '7'))
            {
                return Convert.ToInt32(octal, 8) is var v and <= 511 ? v : throw new FormatException();
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 511)
            {
                return value;
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
        }

        r.Diagnostics.Error(node, path, $"must be a file mode like 0440 (got \"{text}\")");
        return null;
    }
}
