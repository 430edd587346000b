namespace Berth.Tests.Spec;

/// <summary>A depends_on cycle is refused, as compose refuses it, naming the services of the loop.</summary>
public sealed class DependsOnCycleTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_ThreeServiceCycle_RefusedNamingTheLoop()
    {
        var result = await _dir.LoadAsync("""
            services:
              web:
                image: x
                depends_on: [api]
              api:
                image: x
                depends_on:
                  db: {condition: service_healthy}
              db:
                image: x
                depends_on: [web]
            """);

        var error = SpecAssert.SingleError(result, "services.web.depends_on.api");
        Assert.Equal("dependency cycle: web -> api -> db -> web; compose refuses it (no service of the cycle could start first)", error.Message);
        SpecAssert.At(error, 4, 18);
    }

    [Fact]
    public async Task LoadAsync_TwoCycles_EachReportedOnce()
    {
        var result = await _dir.LoadAsync("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n  c: {image: x, depends_on: [d]}\n  d: {image: x, depends_on: [c, a]}\n");

        Assert.Equal(["services.a.depends_on.b", "services.c.depends_on.d"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_DiamondWithoutCycle_Accepted()
    {
        SpecAssert.Succeeds(await _dir.LoadAsync("services:\n  a: {image: x, depends_on: [b, c]}\n  b: {image: x, depends_on: [d]}\n  c: {image: x, depends_on: [d]}\n  d: {image: x}\n"));
    }

    [Fact]
    public async Task LoadAsync_LongChain_NoStackOverflow()
    {
        var yaml = "services:\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"  s{i}: {{image: x, depends_on: [s{i + 1}]}}\n")) + "  s5000: {image: x, depends_on: [s0]}\n";

        var result = await _dir.LoadAsync(yaml);

        var error = SpecAssert.SingleError(result, "services.s0.depends_on.s1");
        Assert.StartsWith("dependency cycle: s0 -> s1 -> s2", error.Message, StringComparison.Ordinal);
    }
}
