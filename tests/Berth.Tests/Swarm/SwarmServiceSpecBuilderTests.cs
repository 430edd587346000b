// Docker.DotNet models are nullable throughout; these assertions fail loudly on a null anyway.
#nullable disable warnings
using Berth.Runtimes;
using Berth.Runtimes.Swarm;
using Berth.Spec;

namespace Berth.Tests.Swarm;

/// <summary>The compose → Swarm service mapping, without an engine.</summary>
public sealed class SwarmServiceSpecBuilderTests
{
    private static ReplicaLaunch Launch(ServiceSpec spec, string replicaId = "shop_web.2.0a1b2c3d") => new()
    {
        ReplicaId = replicaId,
        Service = "shop_web",
        Release = 4,
        Slot = 2,
        Command = [],
        Stack = "shop",
        Spec = spec,
    };

    [Fact]
    public void Build_FullSpec_MapsEveryKey()
    {
        var spec = new ServiceSpec
        {
            Name = "shop_web",
            Image = "shop/web:4",
            Entrypoint = ["dotnet"],
            Command = ["Web.dll", "--replica", "${BERTH_REPLICA_ID}"],
            Environment = new Dictionary<string, string?> { ["MODE"] = "prod", ["UNSET"] = null },
            Ports = [new PortSpec { Target = 8080, Published = 80 }],
            Healthcheck = new HealthcheckSpec { Test = ["CMD-SHELL", "curl -f localhost:8080"], Interval = TimeSpan.FromSeconds(3), Retries = 5 },
            Labels = new Dictionary<string, string> { ["team"] = "a" },
            StopGracePeriod = TimeSpan.FromSeconds(20),
            Deploy = new DeploySpec
            {
                Labels = new Dictionary<string, string> { ["tier"] = "front" },
                RestartPolicy = new RestartPolicySpec { Condition = "on-failure", Delay = TimeSpan.FromSeconds(2), MaxAttempts = 3, Window = TimeSpan.FromMinutes(1) },
                Resources = new ResourcesSpec
                {
                    Limits = new ResourceAmountSpec { Cpus = 0.5, MemoryBytes = 256 * 1024 * 1024, Pids = 100 },
                    Reservations = new ResourceAmountSpec { Cpus = 0.25, MemoryBytes = 64 * 1024 * 1024 },
                },
                Placement = new PlacementSpec { Constraints = ["node.role==manager"], Preferences = ["spread=node.labels.zone"], MaxReplicasPerNode = 2 },
            },
        };

        var built = SwarmServiceSpecBuilder.Build(Launch(spec), "shop_default", []);

        Assert.Equal("shop_web-r4-s2-0a1b2c3d", built.Name);
        Assert.Equal(1UL, built.Mode.Replicated.Replicas);
        Assert.Equal("front", built.Labels["tier"]);
        Assert.Equal("shop_web.2.0a1b2c3d", built.Labels[SwarmLabels.Replica]);
        Assert.Equal("4", built.Labels[SwarmLabels.Release]);
        Assert.Equal("2", built.Labels[SwarmLabels.Slot]);
        Assert.Equal("shop", built.Labels[SwarmLabels.Stack]);
        var container = built.TaskTemplate.ContainerSpec;
        Assert.Equal("shop/web:4", container.Image);
        Assert.Equal(["dotnet"], container.Command);
        Assert.Equal(["Web.dll", "--replica", "shop_web.2.0a1b2c3d"], container.Args);
        Assert.Contains("MODE=prod", container.Env);
        Assert.Contains("BERTH_SLOT=2", container.Env);
        Assert.DoesNotContain(container.Env, e => e.StartsWith("UNSET", StringComparison.Ordinal) || e.StartsWith("PORT=", StringComparison.Ordinal));
        Assert.Equal("a", container.Labels["team"]);
        Assert.Equal(["CMD-SHELL", "curl -f localhost:8080"], container.Healthcheck.Test);
        Assert.Equal(TimeSpan.FromSeconds(3), container.Healthcheck.Interval);
        Assert.Equal(5, container.Healthcheck.Retries);
        Assert.Equal(TimeSpan.FromSeconds(20), container.StopGracePeriod);
        var task = built.TaskTemplate;
        Assert.Equal("on-failure", task.RestartPolicy.Condition);
        Assert.Equal(TimeSpan.FromSeconds(2), task.RestartPolicy.Delay);
        Assert.Equal(3UL, task.RestartPolicy.MaxAttempts);
        Assert.Equal(TimeSpan.FromMinutes(1), task.RestartPolicy.Window);
        Assert.Equal(500_000_000, task.Resources.Limits.NanoCPUs);
        Assert.Equal(256 * 1024 * 1024, task.Resources.Limits.MemoryBytes);
        Assert.Equal(100, task.Resources.Limits.Pids);
        Assert.Equal(250_000_000, task.Resources.Reservations.NanoCPUs);
        Assert.Equal(["node.role==manager"], task.Placement.Constraints);
        Assert.Equal("node.labels.zone", Assert.Single(task.Placement.Preferences).Spread.SpreadDescriptor);
        Assert.Equal(2UL, task.Placement.MaxReplicas);
        var network = Assert.Single(task.Networks);
        Assert.Equal("shop_default", network.Target);
        Assert.Equal(["web"], network.Aliases);
        var port = Assert.Single(built.EndpointSpec.Ports);
        Assert.Equal(8080U, port.TargetPort);
        Assert.Equal("host", port.PublishMode);
        Assert.Null(port.PublishedPort);
    }

    [Fact]
    public void Build_DisabledHealthcheck_MapsToNone()
    {
        var built = SwarmServiceSpecBuilder.Build(
            Launch(new ServiceSpec { Name = "shop_web", Image = "x", Healthcheck = new HealthcheckSpec { Disabled = true } }), "n", []);

        Assert.Equal(["NONE"], built.TaskTemplate.ContainerSpec.Healthcheck.Test);
    }

    [Fact]
    public void ServiceOf_LongName_TruncatedTo63CharactersKeepingTheSuffix()
    {
        var service = new string('a', 80);
        var name = SwarmNames.ServiceOf(new ReplicaLaunch { ReplicaId = service + ".1.0a1b2c3d", Service = service, Release = 12, Slot = 1, Command = [] });

        Assert.Equal(63, name.Length);
        Assert.EndsWith("-r12-s1-0a1b2c3d", name, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretOf_ContentChanges_NameChanges()
    {
        var one = SwarmNames.SecretOf("shop", "db_password", "a"u8.ToArray());
        var two = SwarmNames.SecretOf("shop", "db_password", "b"u8.ToArray());

        Assert.StartsWith("shop_db_password_v", one, StringComparison.Ordinal);
        Assert.Equal("shop_db_password_v".Length + 8, one.Length);
        Assert.NotEqual(one, two);
    }
}
