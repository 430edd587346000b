using CsCheck;

namespace Berth.Tests.Spec.Fuzz;

/// <summary>
/// Generates valid compose files of many shapes: every service key Berth knows, long and short syntax, keys Berth
/// ignores, <c>x-*</c> extensions, anchors, aliases and merge keys, interpolation, <c>x-berth</c> strategies.
/// </summary>
internal static class ComposeFileGen
{
    private static readonly string[] ServiceNames = ["app", "web", "api", "db", "worker", "cache", "front.end", "job_1", "a-b"];

    private static Gen<YamlTree> S(params string[] spellings) => Gen.OneOf(spellings).Select(s => (YamlTree)new YamlScalar(s));

    private static Gen<bool> Flow => Gen.Bool;

    private static YamlMap Map(params (string Key, YamlTree? Value)[] entries) =>
        new(entries.Where(e => e.Value is not null).Select(e => new KeyValuePair<string, YamlTree>(e.Key, e.Value!)).ToList());

    private static Gen<YamlTree?> Maybe(Gen<YamlTree> gen, int percent = 40) =>
        Gen.Int[0, 99].SelectMany(n => n < percent ? gen.Select(v => (YamlTree?)v) : Gen.Const(() => (YamlTree?)null));

    private static Gen<YamlTree> ListOf(Gen<YamlTree> item, int max) =>
        Gen.Select(item.List[1, max], Flow, (items, flow) => (YamlTree)new YamlSeq(items.DistinctBy(i => i.Flow()).ToList(), flow));

    private static readonly Gen<YamlTree> Image = S(
        "nginx:1.27", "\"${IMAGE:-articles}:${TAG:-1}\"", "ghcr.io/acme/api@sha256:0123456789abcdef", "redis", "'postgres:16'", "\"$REGISTRY/app:${TAG-latest}\"");

    private static readonly Gen<YamlTree> Duration = S("10s", "1m30s", "500ms", "\"2s\"", "1h", "1.5s", "\"${DELAY:-5s}\"", "0s");

    private static readonly Gen<YamlTree> Command = Gen.OneOf(
        S("./run --port ${PORT}", "\"sh -c 'echo hi && sleep 1'\"", "dotnet Api.dll", "'echo \"quoted\"'", "run \\\"x y\\\""),
        ListOf(S("dotnet", "\"--urls\"", "\"http://127.0.0.1:$${PORT}\"", "'x y'", "\"${ARG:-a}\""), 4));

    private static readonly Gen<YamlTree> Environment = Gen.OneOf(
        Gen.Select(S("1", "\"two\"", "\"${HOME}\"", "\"${MISSING:-dflt}\"", "true", "null", "''", "$$LITERAL", "\"${A:-${B:-x}}\""), Gen.OneOf("A", "B_C", "LONG_NAME_1"), Flow,
            (value, key, flow) => (YamlTree)new YamlMap([new(key, value), new("BERTH_MODE", new YamlScalar("prod"))], flow)),
        ListOf(S("A=1", "B", "\"C=${X:-y}\"", "D=a=b", "'E= spaced '"), 4));

    private static readonly Gen<YamlTree> Labels = Gen.OneOf(
        ListOf(S("com.example.team=core", "tier=web", "flag"), 3),
        S("{com.example.a: x, \"quoted.key\": \"1\"}"));

    private static readonly Gen<YamlTree> ShortPort = S(
        "\"8080:80\"", "\"80\"", "80", "\"127.0.0.1:8081:81\"", "\"[::1]:8082:82\"", "\"8083:83/udp\"", "\"9000-9002:9000-9002\"", "\"7000-7001\"",
        "\"9100-9101:8080\"", "\"127.0.0.1::84\"", "\"${WEB_PORT:-8090}:80\"");

    private static readonly Gen<YamlTree> LongPort = Gen.Select(
        S("80", "\"81\"", "8443"), Maybe(S("8084", "\"8085\"", "\"9200-9201\""), 70), Maybe(S("tcp", "udp")), Maybe(S("ingress", "host")), Maybe(S("127.0.0.1", "0.0.0.0")), Maybe(S("web", "http")),
        (target, published, protocol, mode, hostIp, name) => (YamlTree)Map(("target", target), ("published", published), ("protocol", protocol), ("mode", mode), ("host_ip", hostIp), ("name", name)));

    private static readonly Gen<YamlTree> Healthcheck = Gen.Select(
        Gen.OneOf(S("\"curl -f http://localhost/ || exit 1\"", "[\"CMD\", \"true\"]", "[\"CMD-SHELL\", \"exit 0\"]", "[\"NONE\"]")),
        Maybe(Duration, 60), Maybe(Duration), Maybe(S("3", "\"5\"", "0")), Maybe(Duration), Maybe(S("false", "true"), 15),
        (test, interval, timeout, retries, start, disable) => (YamlTree)Map(("test", test), ("interval", interval), ("timeout", timeout), ("retries", retries), ("start_period", start), ("disable", disable)));

    private static readonly Gen<YamlTree> Deploy = Gen.Select(
        Maybe(S("replicated", "global")), Maybe(S("0", "1", "3", "\"2\"", "\"${REPLICAS:-2}\""), 70), Maybe(Labels, 20),
        Maybe(Gen.Select(Maybe(S("\"0.5\"", "1", "0.25")), Maybe(S("512M", "1g", "\"1.5GB\"", "\"1048576\"")), Maybe(S("100")),
            (cpus, memory, pids) => (YamlTree)Map(("limits", Map(("cpus", cpus), ("memory", memory), ("pids", pids)))))),
        Maybe(Gen.Select(S("none", "on-failure", "any"), Maybe(Duration), Maybe(S("3")), Maybe(Duration),
            (c, d, a, w) => (YamlTree)Map(("condition", c), ("delay", d), ("max_attempts", a), ("window", w))), 30),
        Maybe(Gen.Select(S("1", "2", "0"), Maybe(Duration), Maybe(S("pause", "continue", "rollback")), Maybe(Duration), Maybe(S("0.1", "\"0.5\"")), Maybe(S("stop-first", "start-first")),
            (p, d, f, m, r, o) => (YamlTree)Map(("parallelism", p), ("delay", d), ("failure_action", f), ("monitor", m), ("max_failure_ratio", r), ("order", o))), 40),
        Maybe(S("{constraints: [node.role==manager], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}"), 15),
        (mode, replicas, labels, resources, restart, update, placement) => (YamlTree)Map(
            ("mode", mode), ("replicas", replicas), ("labels", labels), ("resources", resources), ("restart_policy", restart),
            ("update_config", update), ("rollback_config", update is null ? null : new YamlScalar("{parallelism: 1}")), ("placement", placement), ("endpoint_mode", null)));

    private static readonly Gen<YamlTree> Berth = Gen.Select(
        Gen.OneOf(S("{command: ./run.sh}", "{command: [\"dotnet\", \"App.dll\"], working_dir: ., environment: {MODE: prod}}", "{command: \"sleep 1\", environment: [A=1]}")),
        Maybe(S("{http_path: /healthz}")),
        Maybe(S("{balancing: round_robin, drain_timeout: 20s}", "{eject_after_failures: 3, retry_methods: [GET]}"), 25),
        Gen.Int[0, 9],
        (process, health, router, strategy) => (YamlTree)Map(
            ("process", process), ("health", health), ("router", router),
            ("strategy", strategy switch { 0 => new YamlScalar("canary"), 1 => new YamlScalar("blue-green"), 2 => new YamlScalar("rolling"), _ => null }),
            ("canary", strategy == 0 ? new YamlScalar("{steps: [{weight: 10}, {pause: 30s}, {analysis: {count: 2}}, {weight: 50}], analysis: {interval: 5s}}") : null),
            ("blue_green", strategy == 1 ? new YamlScalar("{auto_promote: false, scale_down_delay: 30s, pre_promotion: {smoke: \"true\"}}") : null)));

    private static readonly Gen<YamlTree> Ignored = Gen.OneOf(
        S("{volumes: [\"./data:/data:ro\", {type: bind, source: ./src, target: /src}]}", "{networks: [front, back]}", "{restart: unless-stopped}",
          "{cap_add: [NET_ADMIN]}", "{logging: {driver: json-file, options: {max-size: 10m}}}", "{ulimits: {nofile: {soft: 1024, hard: 2048}}}",
          "{user: \"1000:1000\", hostname: web1, tty: true}", "{extra_hosts: [\"db:10.0.0.2\"], dns: 8.8.8.8}", "{profiles: [debug]}"));

    private static Gen<YamlTree> Service(string name, IReadOnlyList<string> others) => Gen.Select(
        Gen.Select(Gen.Int[0, 9], Image, Command),
        Gen.Select(Maybe(Environment, 50), Maybe(Labels, 20), Maybe(Gen.OneOf(ListOf(Gen.OneOf(ShortPort, LongPort), 3)), 50), Maybe(Healthcheck, 30)),
        Gen.Select(Maybe(Deploy, 50), Maybe(Berth, 40), Maybe(Ignored, 30), Maybe(S("./app", "{context: ., dockerfile: Dockerfile, args: [V=1], target: final}"), 20)),
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 99], Gen.Bool, Maybe(S("/app", "\"${WORKDIR:-/srv}\""), 15)),
        (head, body, tail, extra) =>
        {
            var (runKind, image, command) = head;
            var (environment, labels, ports, healthcheck) = body;
            var (deploy, berth, ignored, build) = tail;
            var (dependsPercent, secretPercent, mergeBase, workingDir) = extra;
            YamlTree? dependsOn = others.Count == 0 || dependsPercent > 30 ? null
                : dependsPercent % 2 == 0
                    ? new YamlSeq(others.Take(1 + dependsPercent % others.Count).Select(o => (YamlTree)new YamlScalar(o)).ToList(), dependsPercent % 3 == 0)
                    : Map((others[dependsPercent % others.Count], new YamlScalar("{condition: service_started, required: true}")));
            var entries = new List<KeyValuePair<string, YamlTree>>();
            if (mergeBase)
            {
                entries.Add(new("<<", new YamlAlias("base")));
            }

            // Something to run: image, build or x-berth.process (the loader refuses a service with none).
            if (runKind < 7 || (berth is null && build is null))
            {
                entries.Add(new("image", image));
            }

            void Add(string key, YamlTree? value)
            {
                if (value is not null)
                {
                    entries.Add(new(key, value));
                }
            }

            Add("build", build);
            Add("command", runKind % 3 == 0 ? command : null);
            Add("entrypoint", runKind == 5 ? new YamlScalar("[\"/entry.sh\"]") : null);
            Add("environment", environment);
            Add("labels", labels);
            Add("ports", ports);
            Add("healthcheck", healthcheck);
            Add("depends_on", dependsOn);
            Add("secrets", secretPercent < 15 ? new YamlScalar(secretPercent % 2 == 0 ? "[token]" : "[{source: token, target: api_token, mode: 0440}]") : null);
            Add("working_dir", workingDir);
            Add("stop_grace_period", runKind == 4 ? new YamlScalar("1m") : null);
            Add("deploy", deploy);
            Add("x-berth", berth);
            if (ignored is YamlScalar { Text: var flow })
            {
                foreach (var part in SplitFlowMap(flow))
                {
                    entries.Add(part);
                }
            }

            Add("x-team", secretPercent > 90 ? new YamlScalar("{owner: core, \"on-call\": [a, b]}") : null);
            return (YamlTree)new YamlMap(entries);
        });

    /// <summary>"{a: x, b: [1, 2]}" → the top-level entries (a flat split is enough for the literals above).</summary>
    private static IEnumerable<KeyValuePair<string, YamlTree>> SplitFlowMap(string flow)
    {
        var body = flow[1..^1];
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= body.Length; i++)
        {
            if (i == body.Length || (body[i] == ',' && depth == 0))
            {
                var part = body[start..i].Trim();
                var colon = part.IndexOf(": ", StringComparison.Ordinal);
                yield return new(part[..colon], new YamlScalar(part[(colon + 2)..]));
                start = i + 1;
            }
            else if (body[i] is '[' or '{')
            {
                depth++;
            }
            else if (body[i] is ']' or '}')
            {
                depth--;
            }
        }
    }

    /// <summary>A whole valid compose file: 1–5 services and optional top-level sections.</summary>
    public static readonly Gen<string> File = Gen.Int[1, 5].SelectMany(count =>
    {
        var names = ServiceNames.Take(count).ToList();
        var services = names.Select((n, i) => Service(n, names.Skip(i + 1).ToList())).ToArray();
        return Gen.Select(
            services.Aggregate(Gen.Const(new List<YamlTree>()), (all, next) => all.SelectMany(list => next.Select(t => new List<YamlTree>(list) { t }))),
            Gen.Select(Maybe(S("articles", "shop-2", "\"${PROJECT:-demo}\""), 30), Maybe(S("\"3.8\""), 15), Maybe(S("{front: {}, back: {driver: overlay}}"), 15), Maybe(S("{data: {}}"), 15)),
            Gen.Int[0, 99],
            (serviceTrees, top, flags) =>
            {
                var (name, version, networks, volumes) = top;
                var entries = new List<KeyValuePair<string, YamlTree>>();
                void Add(string key, YamlTree? value)
                {
                    if (value is not null)
                    {
                        entries.Add(new(key, value));
                    }
                }

                Add("version", version);
                Add("name", name);
                Add("x-base", new YamlMap([new("labels", new YamlSeq([new YamlScalar("from.anchor=1")]))]) { Anchor = "base" });
                Add("x-defaults", flags % 2 == 0 ? new YamlScalar("&defaults {restart: always}") : null);
                Add("services", new YamlMap(names.Zip(serviceTrees, (n, t) => new KeyValuePair<string, YamlTree>(n, t)).ToList()));
                Add("secrets", new YamlScalar(flags % 3 == 0 ? "{token: {environment: TOKEN}}" : flags % 3 == 1 ? "{token: {file: ./token.txt}}" : "{token: {external: true}}"));
                Add("networks", networks);
                Add("volumes", volumes);
                return new YamlMap(entries).Render();
            });
    });
}
