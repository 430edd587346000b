using System.Globalization;
using System.Text.Json;

namespace Berth.Spec.Writing;

/// <summary>Writes a <see cref="ComposeSpec"/> back as normalized compose YAML (what `berth config` prints).</summary>
/// <remarks>
/// Services and keys are sorted, ports use the long syntax, environment is a map, durations read like 1m30s and
/// deploy shows Swarm's defaults. Every <c>$</c> is written as <c>$$</c>, so loading the output again gives the same spec.
/// </remarks>
public static partial class ComposeYamlWriter
{
    public static string Write(ComposeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var y = new YamlEventWriter();
        y.BeginMap();
        if (spec.Name is not null)
        {
            y.Key("name").Str(spec.Name);
        }

        if (spec.Secrets.Count > 0)
        {
            y.Key("secrets").BeginMap();
            foreach (var (key, secret) in spec.Secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                y.Key(key).BeginMap();
                y.OptionalKey("environment", secret.Environment);
                if (secret.External)
                {
                    y.Key("external").Bool(true);
                }

                y.OptionalKey("file", secret.File);
                WriteMap(y, "labels", secret.Labels);
                y.Key("name").Str(secret.Name);
                y.EndMap();
            }

            y.EndMap();
        }

        y.Key("services").BeginMap();
        foreach (var (name, service) in spec.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            y.Key(name);
            WriteService(y, service);
        }

        y.EndMap();
        foreach (var (key, value) in spec.Extensions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            y.Key(key);
            WriteJson(y, value);
        }

        y.EndMap();
        return y.ToString();
    }

    private static void WriteService(YamlEventWriter y, ServiceSpec s)
    {
        y.BeginMap();
        if (s.Build is { } build)
        {
            y.Key("build").BeginMap();
            WriteMap(y, "args", build.Args);
            y.Key("context").Str(build.Context);
            y.OptionalKey("dockerfile", build.Dockerfile);
            y.OptionalKey("target", build.Target);
            y.EndMap();
        }

        WriteList(y, "command", s.Command);
        if (s.DependsOn.Count > 0)
        {
            y.Key("depends_on").BeginMap();
            foreach (var (name, d) in s.DependsOn.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                y.Key(name).BeginMap().Key("condition").Str(d.Condition).Key("required").Bool(d.Required).Key("restart").Bool(d.Restart).EndMap();
            }

            y.EndMap();
        }

        y.Key("deploy");
        WriteDeploy(y, s.Deploy);
        WriteList(y, "entrypoint", s.Entrypoint);
        WriteMap(y, "environment", s.Environment);
        if (s.Healthcheck is { } h)
        {
            y.Key("healthcheck").BeginMap();
            if (h.Disabled)
            {
                y.Key("disable").Bool(true);
            }

            y.Key("interval").Str(Duration(h.Interval)).Key("retries").Int(h.Retries)
                .Key("start_interval").Str(Duration(h.StartInterval)).Key("start_period").Str(Duration(h.StartPeriod));
            WriteList(y, "test", h.Test.Count > 0 ? h.Test : null);
            y.Key("timeout").Str(Duration(h.Timeout)).EndMap();
        }

        y.OptionalKey("image", s.Image);
        WriteMap(y, "labels", s.Labels);
        if (s.Ports.Count > 0)
        {
            y.Key("ports").BeginList();
            foreach (var p in s.Ports)
            {
                y.BeginMap();
                y.OptionalKey("app_protocol", p.AppProtocol);
                y.OptionalKey("host_ip", p.HostIp);
                y.Key("mode").Str(p.Mode);
                y.OptionalKey("name", p.Name);
                y.Key("protocol").Str(p.Protocol);
                if (p.Published is { } published)
                {
                    y.Key("published").Int(published);
                }

                y.Key("target").Int(p.Target).EndMap();
            }

            y.EndList();
        }

        if (s.Secrets.Count > 0)
        {
            y.Key("secrets").BeginList();
            foreach (var secret in s.Secrets)
            {
                y.BeginMap();
                y.OptionalKey("gid", secret.Gid);
                if (secret.Mode is { } mode)
                {
                    y.Key("mode").Int(mode);
                }

                y.Key("source").Str(secret.Source);
                y.OptionalKey("target", secret.Target);
                y.OptionalKey("uid", secret.Uid);
                y.EndMap();
            }

            y.EndList();
        }

        y.Key("stop_grace_period").Str(Duration(s.StopGracePeriod));
        y.OptionalKey("working_dir", s.WorkingDir);
        WriteBerth(y, s.Berth);
        foreach (var (key, value) in s.Extensions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            y.Key(key);
            WriteJson(y, value);
        }

        y.EndMap();
    }

    private static void WriteDeploy(YamlEventWriter y, DeploySpec d)
    {
        y.BeginMap().Key("endpoint_mode").Str(d.EndpointMode);
        WriteMap(y, "labels", d.Labels);
        y.Key("mode").Str(d.Mode);
        var p = d.Placement;
        if (p.Constraints.Count > 0 || p.Preferences.Count > 0 || p.MaxReplicasPerNode is not null)
        {
            y.Key("placement").BeginMap();
            WriteList(y, "constraints", p.Constraints.Count > 0 ? p.Constraints : null);
            if (p.MaxReplicasPerNode is { } max)
            {
                y.Key("max_replicas_per_node").Int(max);
            }

            if (p.Preferences.Count > 0)
            {
                y.Key("preferences").BeginList();
                foreach (var pref in p.Preferences)
                {
                    y.BeginMap().Key("spread").Str(pref).EndMap();
                }

                y.EndList();
            }

            y.EndMap();
        }

        y.Key("replicas").Int(d.Replicas);
        if (d.Resources.Limits is not null || d.Resources.Reservations is not null)
        {
            y.Key("resources").BeginMap();
            WriteAmount(y, "limits", d.Resources.Limits);
            WriteAmount(y, "reservations", d.Resources.Reservations);
            y.EndMap();
        }

        var r = d.RestartPolicy;
        y.Key("restart_policy").BeginMap().Key("condition").Str(r.Condition).Key("delay").Str(Duration(r.Delay));
        if (r.MaxAttempts is { } attempts)
        {
            y.Key("max_attempts").Int(attempts);
        }

        if (r.Window is { } window)
        {
            y.Key("window").Str(Duration(window));
        }

        y.EndMap();
        WriteUpdateConfig(y, "rollback_config", d.RollbackConfig);
        WriteUpdateConfig(y, "update_config", d.UpdateConfig);
        y.EndMap();
    }

    private static void WriteUpdateConfig(YamlEventWriter y, string key, UpdateConfigSpec u) =>
        y.Key(key).BeginMap()
            .Key("delay").Str(Duration(u.Delay))
            .Key("failure_action").Str(u.FailureAction)
            .Key("max_failure_ratio").Number(u.MaxFailureRatio)
            .Key("monitor").Str(Duration(u.Monitor))
            .Key("order").Str(u.Order)
            .Key("parallelism").Int(u.Parallelism)
            .EndMap();

    private static void WriteAmount(YamlEventWriter y, string key, ResourceAmountSpec? amount)
    {
        if (amount is null)
        {
            return;
        }

        y.Key(key).BeginMap();
        if (amount.Cpus is { } cpus)
        {
            y.Key("cpus").Number(cpus);
        }

        if (amount.MemoryBytes is { } memory)
        {
            // The Compose schema wants memory as a string ("536870912"), so `berth config` output stays valid compose.
            y.Key("memory").Str(memory.ToString(CultureInfo.InvariantCulture));
        }

        if (amount.Pids is { } pids)
        {
            y.Key("pids").Int(pids);
        }

        y.EndMap();
    }

    private static void WriteList(YamlEventWriter y, string key, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            return;
        }

        y.Key(key).BeginList();
        foreach (var item in items)
        {
            y.Str(item);
        }

        y.EndList();
    }

    private static void WriteMap<TValue>(YamlEventWriter y, string key, IReadOnlyDictionary<string, TValue> map)
    {
        if (map.Count == 0)
        {
            return;
        }

        y.Key(key).BeginMap();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            y.Key(k);
            if (v is null)
            {
                y.Null();
            }
            else
            {
                y.Str(v.ToString()!);
            }
        }

        y.EndMap();
    }

    private static void WriteJson(YamlEventWriter y, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                y.BeginMap();
                foreach (var property in value.EnumerateObject())
                {
                    y.Key(property.Name);
                    WriteJson(y, property.Value);
                }

                y.EndMap();
                break;
            case JsonValueKind.Array:
                y.BeginList();
                foreach (var item in value.EnumerateArray())
                {
                    WriteJson(y, item);
                }

                y.EndList();
                break;
            case JsonValueKind.String:
                y.Str(value.GetString()!);
                break;
            case JsonValueKind.Number:
                y.Raw(value.GetRawText());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                y.Bool(value.GetBoolean());
                break;
            default:
                y.Null();
                break;
        }
    }

    private static string Duration(TimeSpan value) => DurationCodec.Format(value);
}
