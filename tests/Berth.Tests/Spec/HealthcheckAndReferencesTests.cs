using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class HealthcheckAndReferencesTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeLoadResult> LoadHealthAsync(string body) =>
        _dir.LoadAsync("services:\n  app:\n    image: x\n    healthcheck:\n" + string.Join("\n", body.Split('\n').Select(l => "      " + l)) + "\n");

    [Fact]
    public async Task LoadAsync_HealthcheckString_BecomesCmdShell()
    {
        var h = SpecAssert.Succeeds(await LoadHealthAsync("test: curl -f http://localhost/ || exit 1\ninterval: 10s\ntimeout: 2s\nretries: 5\nstart_period: 1m\nstart_interval: 1s")).Services["app"].Healthcheck!;

        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/ || exit 1"], h.Test);
        Assert.Equal(TimeSpan.FromSeconds(10), h.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), h.Timeout);
        Assert.Equal(5, h.Retries);
        Assert.Equal(TimeSpan.FromMinutes(1), h.StartPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), h.StartInterval);
        Assert.False(h.Disabled);
    }

    [Fact]
    public async Task LoadAsync_HealthcheckCmdList_Kept()
    {
        var h = SpecAssert.Succeeds(await LoadHealthAsync("test: [\"CMD\", \"wget\", \"-q\", \"localhost\"]")).Services["app"].Healthcheck!;

        Assert.Equal(["CMD", "wget", "-q", "localhost"], h.Test);
    }

    [Theory]
    [InlineData("test: [\"NONE\"]")]
    [InlineData("disable: true")]
    public async Task LoadAsync_HealthcheckDisabled_MarkedDisabled(string body)
    {
        Assert.True(SpecAssert.Succeeds(await LoadHealthAsync(body)).Services["app"].Healthcheck!.Disabled);
    }

    [Fact]
    public async Task LoadAsync_HealthcheckListWithBadKind_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadHealthAsync("test: [\"curl\", \"-f\"]"), "services.app.healthcheck.test");

        Assert.Equal("a test list must start with one of: CMD, CMD-SHELL, NONE (got \"curl\")", error.Message);
        SpecAssert.At(error, 5, 13);
    }

    [Fact]
    public async Task LoadAsync_HealthcheckBadDuration_ReportsErrorWithExample()
    {
        var error = SpecAssert.SingleError(await LoadHealthAsync("interval: 10 seconds"), "services.app.healthcheck.interval");

        Assert.Contains("\"1m30s\"", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 5, 17);
    }

    [Fact]
    public async Task LoadAsync_DependsOnLongForm_Read()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("services:\n  db:\n    image: pg\n  app:\n    image: x\n    depends_on:\n      db:\n        condition: service_healthy\n        restart: true\n        required: false\n"));

        Assert.Equal(new DependsOnSpec { Condition = "service_healthy", Restart = true, Required = false }, spec.Services["app"].DependsOn["db"]);
    }

    [Fact]
    public async Task LoadAsync_DependsOnUnknownService_ReportsError()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    depends_on: [db, app2]\n  app2:\n    image: y\n");

        var error = SpecAssert.SingleError(result, "services.app.depends_on.db");
        Assert.Contains("undefined service \"db\"", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 4, 18);
    }

    [Fact]
    public async Task LoadAsync_DependsOnBadCondition_ReportsError()
    {
        var result = await _dir.LoadAsync("services:\n  db:\n    image: pg\n  app:\n    image: x\n    depends_on:\n      db:\n        condition: healthy\n");

        Assert.Equal("must be one of: service_started, service_healthy, service_completed_successfully (got \"healthy\")", SpecAssert.SingleError(result, "services.app.depends_on.db.condition").Message);
    }

    [Fact]
    public async Task LoadAsync_Secrets_TopLevelAndServiceForms()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("""
            secrets:
              db_password:
                file: ./secrets/db.txt
              token:
                environment: API_TOKEN
              shared:
                external: true
                name: prod_shared
            services:
              app:
                image: x
                secrets:
                  - db_password
                  - source: token
                    target: api_token
                    uid: "1000"
                    gid: "1000"
                    mode: 0440
            """));

        Assert.Equal(Path.Combine(_dir.Root, "secrets", "db.txt"), spec.Secrets["db_password"].File);
        Assert.Equal("API_TOKEN", spec.Secrets["token"].Environment);
        Assert.True(spec.Secrets["shared"].External);
        Assert.Equal("prod_shared", spec.Secrets["shared"].Name);
        var secrets = spec.Services["app"].Secrets;
        Assert.Equal(new ServiceSecretSpec { Source = "db_password" }, secrets[0]);
        Assert.Equal(new ServiceSecretSpec { Source = "token", Target = "api_token", Uid = "1000", Gid = "1000", Mode = 288 }, secrets[1]);
    }

    [Fact]
    public async Task LoadAsync_UndefinedServiceSecret_ReportsError()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    secrets:\n      - nope\n");

        var error = SpecAssert.SingleError(result, "services.app.secrets[0]");
        Assert.Contains("secret \"nope\" is not defined", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 5, 9);
    }

    [Fact]
    public async Task LoadAsync_TopLevelSecretWithoutSource_ReportsError()
    {
        var error = SpecAssert.SingleError(await _dir.LoadAsync("secrets:\n  s:\n    labels: {a: b}\nservices:\n  app:\n    image: x\n"), "secrets.s");

        Assert.Contains("exactly one of file, environment or external", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DependsOnMissingOptionalService_WarnsOnly()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    depends_on:\n      cache:\n        condition: service_started\n        required: false\n");

        SpecAssert.Succeeds(result);
        SpecAssert.Warning(result, "services.app.depends_on.cache");
    }

    [Fact]
    public async Task LoadAsync_DependsOnItself_ReportsError()
    {
        SpecAssert.SingleError(await _dir.LoadAsync("services:\n  app:\n    image: x\n    depends_on: [app]\n"), "services.app.depends_on.app");
    }
}
