// Docker.DotNet models are nullable throughout; these assertions fail loudly on a null anyway.
#nullable disable warnings
using Berth.Runtimes.Swarm;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>The global routers' Swarm service, without an engine: what every node runs and when it changes.</summary>
public sealed class SwarmRouterSpecTests
{
    private static readonly Secret Token = new() { ID = "tok1", Spec = new SwarmSecretSpec { Name = "berth-router-abc_token_v1" } };
    private static readonly Secret Ca = new() { ID = "ca1", Spec = new SwarmSecretSpec { Name = "berth-router-abc_ca_v1" } };

    private static SwarmRouterSettings Settings(string image = "berth-router:10", string address = "https://10.0.0.1:7070/", Secret ca = null) =>
        new(image, new Uri(address), Token, ca, "abc0123456789def0123456789abcdef");

    [Fact]
    public void Build_GlobalOnTheHostNetwork_EachTaskNamedAfterItsNode_FollowingTheServerWithItsSecrets()
    {
        var spec = SwarmRouterSpec.Build(Settings(ca: Ca));

        Assert.Equal("berth-router-abc012345678", spec.Name);
        Assert.NotNull(spec.Mode.Global);
        Assert.Null(spec.Mode.Replicated);
        Assert.Equal("host", Assert.Single(spec.TaskTemplate.Networks).Target);
        var container = spec.TaskTemplate.ContainerSpec;
        Assert.Equal("berth-router:10", container.Image);
        Assert.Equal(
            ["--server", "https://10.0.0.1:7070/", "--token-file", "/run/secrets/berth-router-token", "--state", "/var/lib/berth-router", "--tls-ca", "/run/secrets/berth-router-ca"],
            container.Args);
        Assert.Contains("BERTH_ROUTER_ID={{.Node.Hostname}}", container.Env);
        Assert.Equal(["tok1", "ca1"], container.Secrets.Select(s => s.SecretID));
        Assert.All(container.Secrets, s => Assert.Equal(Convert.ToUInt32("400", 8), s.File.Mode));
        Assert.Equal("/var/lib/berth-router", Assert.Single(container.Mounts).Target);
        Assert.Equal("abc0123456789def0123456789abcdef", spec.Labels[SwarmLabels.Owner]);
        Assert.Equal("stop-first", spec.UpdateConfig.Order);
        Assert.Equal("any", spec.TaskTemplate.RestartPolicy.Condition);
    }

    [Fact]
    public void Build_PlainHttpOnLoopback_NoCaSecretNorTlsOption()
    {
        var spec = SwarmRouterSpec.Build(Settings(address: "http://127.0.0.1:7070/"));

        Assert.DoesNotContain("--tls-ca", spec.TaskTemplate.ContainerSpec.Args);
        Assert.Equal(["tok1"], spec.TaskTemplate.ContainerSpec.Secrets.Select(s => s.SecretID));
    }

    [Fact]
    public void Build_SpecLabel_ChangesWithTheImageOrTheAddressOnly()
    {
        var label = SwarmRouterSpec.Build(Settings()).Labels[SwarmRouterSpec.SpecLabel];

        Assert.Equal(label, SwarmRouterSpec.Build(Settings()).Labels[SwarmRouterSpec.SpecLabel]);
        Assert.NotEqual(label, SwarmRouterSpec.Build(Settings(image: "berth-router:11")).Labels[SwarmRouterSpec.SpecLabel]);
        Assert.NotEqual(label, SwarmRouterSpec.Build(Settings(address: "https://10.0.0.2:7070/")).Labels[SwarmRouterSpec.SpecLabel]);
        Assert.NotEqual(label, SwarmRouterSpec.Build(Settings(ca: Ca)).Labels[SwarmRouterSpec.SpecLabel]);
    }
}
