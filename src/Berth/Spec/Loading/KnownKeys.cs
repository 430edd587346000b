namespace Berth.Spec.Loading;

/// <summary>Which keys a section of a compose file may hold: honoured by Berth, compose keys Berth ignores, reserved.</summary>
internal sealed record KeySection(
    string Name,
    IReadOnlySet<string> Honoured,
    IReadOnlySet<string> Ignored,
    IReadOnlySet<string> Reserved,
    bool AllowsExtensions,
    string IgnoredMessage = "is not honoured by Berth and is ignored");

/// <summary>
/// The one table of known keys, per section of the Compose Specification (plus <c>x-berth</c>); kept equal to the
/// vendored schema's (Spec/Schema/compose-spec.json) by <c>KnownKeysTests</c>.
/// </summary>
internal static class KnownKeys
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    public static readonly KeySection TopLevel = new(
        "top level",
        new HashSet<string> { "name", "services", "secrets", "version" },
        new HashSet<string> { "networks", "volumes", "configs", "include", "models" },
        None,
        AllowsExtensions: true,
        IgnoredMessage: "is not honoured by Berth yet and is ignored");

    public static readonly KeySection Service = new(
        "service",
        new HashSet<string>
        {
            "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "healthcheck", "depends_on",
            "secrets", "labels", "working_dir", "stop_grace_period", "deploy",
        },
        new HashSet<string>
        {
            "annotations", "attach", "blkio_config", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "configs",
            "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime",
            "cpu_shares", "cpus", "cpuset", "credential_spec", "develop", "device_cgroup_rules", "devices", "dns",
            "dns_opt", "dns_search", "domainname", "expose", "extends", "external_links", "extra_hosts",
            "gpus", "group_add", "hostname", "init", "ipc", "isolation", "label_file", "links", "logging", "mac_address",
            "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "networks",
            "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "post_start", "pre_stop", "privileged",
            "profiles", "provider", "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime", "scale", "security_opt",
            "shm_size", "stdin_open", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
            "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from",
        },
        None,
        AllowsExtensions: true);

    public static readonly KeySection Build = Section(
        "build",
        ["context", "dockerfile", "args", "target"],
        ["dockerfile_inline", "ssh", "cache_from", "cache_to", "additional_contexts", "entitlements", "extra_hosts",
         "isolation", "network", "no_cache", "platforms", "privileged", "pull", "secrets", "shm_size", "tags",
         "ulimits", "labels"]);

    public static readonly KeySection Deploy = Section(
        "deploy", ["mode", "replicas", "labels", "resources", "restart_policy", "rollback_config", "update_config", "placement", "endpoint_mode"], []);

    public static readonly KeySection RestartPolicy = Section("restart_policy", ["condition", "delay", "max_attempts", "window"], []);

    public static readonly KeySection UpdateConfig = Section(
        "update_config", ["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"], []);

    public static readonly KeySection Resources = Section("resources", ["limits", "reservations"], []);

    public static readonly KeySection ResourceAmount = Section("resources", ["cpus", "memory", "pids"], ["devices", "generic_resources"]);

    public static readonly KeySection Placement = Section("placement", ["constraints", "preferences", "max_replicas_per_node"], []);

    public static readonly KeySection Healthcheck = Section(
        "healthcheck", ["test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"], []);

    public static readonly KeySection Port = Section("ports", ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"], []);

    public static readonly KeySection ServiceSecret = Section("secrets", ["source", "target", "uid", "gid", "mode"], []);

    public static readonly KeySection DependsOn = Section("depends_on", ["condition", "restart", "required"], []);

    public static readonly KeySection EnvFile = Section("env_file", ["path", "required"], ["format"]);

    public static readonly KeySection TopLevelSecret = Section(
        "secrets", ["file", "environment", "external", "name", "labels"], ["driver", "driver_opts", "template_driver"]);

    public static readonly KeySection Berth = new(
        "x-berth",
        new HashSet<string> { "process", "artifact", "health", "router", "strategy", "canary", "blue_green", "runtime" },
        None,
        None,
        AllowsExtensions: false);

    /// <summary>The top-level <c>x-berth</c> (the service-level one is <see cref="Berth"/>).</summary>
    public static readonly KeySection BerthTopLevel = BerthSection("x-berth", "environments");

    public static readonly KeySection BerthEnvironment = BerthSection(
        "environment", "name", "target", "entry", "port_offset", "replicas", "environment", "strategy", "services", "gates", "webhook");

    public static readonly KeySection BerthEnvironmentService = BerthSection("environment service", "replicas", "environment");

    public static readonly KeySection BerthGates = BerthSection("gates", "healthy_for", "smoke", "smoke_timeout", "analysis", "load", "timeout");

    public static readonly KeySection BerthProcess = new(
        "x-berth.process", new HashSet<string> { "command", "working_dir", "environment", "artifact" }, None, None, AllowsExtensions: false);

    public static readonly KeySection BerthArtifact = new(
        "x-berth.artifact", new HashSet<string> { "command", "output" }, None, None, AllowsExtensions: false);

    public static readonly KeySection BerthHealth = new(
        "x-berth.health", new HashSet<string> { "http_path" }, None, None, AllowsExtensions: false);

    public static readonly KeySection BerthRouter = new(
        "x-berth.router",
        new HashSet<string>
        {
            "balancing", "user_header", "user_cookie", "override_header", "served_by_header", "health_path", "health_interval",
            "health_timeout", "eject_after_failures", "ejection_period", "drain_timeout", "response_timeout", "retry_methods",
        },
        None,
        None,
        AllowsExtensions: false);

    public static readonly KeySection BerthCanary = BerthSection(
        "x-berth.canary", "steps", "analysis", "progress_deadline", "scale_down_delay", "preview_port");

    /// <summary>A canary step is a mapping with exactly one of these keys.</summary>
    public static readonly KeySection BerthCanaryStep = BerthSection(
        "canary step", CanaryStepSpec.WeightKind, CanaryStepSpec.PauseKind, CanaryStepSpec.AnalysisKind, CanaryStepSpec.ReplicasKind, CanaryStepSpec.MatchKind);

    /// <summary>The long form of a pause step, as Argo Rollouts writes it: <c>pause: {duration: 30s}</c>.</summary>
    public static readonly KeySection BerthPause = BerthSection("pause", "duration");

    public static readonly KeySection BerthMatch = BerthSection("match", "header", "cookie", "value");

    public static readonly KeySection BerthBlueGreen = BerthSection(
        "x-berth.blue_green", "preview_port", "auto_promote", "scale_down_delay", "progress_deadline", "pre_promotion", "post_promotion");

    public static readonly KeySection BerthPromotionGate = BerthSection("promotion gate", "smoke", "smoke_timeout", "analysis");

    public static readonly KeySection BerthAnalysis = BerthSection(
        "analysis", "interval", "count", "min_requests", "failure_limit", "inconclusive_limit", "metrics");

    public static readonly KeySection BerthMetric = BerthSection("metric", "name", "max", "max_ratio");

    private static KeySection BerthSection(string name, params string[] honoured) =>
        new(name, new HashSet<string>(honoured), None, None, AllowsExtensions: false);

    private static KeySection Section(string name, string[] honoured, string[] ignored) =>
        new(name, new HashSet<string>(honoured), new HashSet<string>(ignored), None, AllowsExtensions: true);
}
