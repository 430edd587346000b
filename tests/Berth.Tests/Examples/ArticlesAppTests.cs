using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Berth.Tests.Examples;

/// <summary>
/// End-to-end tests of examples/articles: the real app is started as a process
/// (like a process-runtime replica) with its own port and a temp SQLite database.
/// </summary>
public sealed class ArticlesAppTests : IDisposable
{
    private readonly string _tempDir = Path.Combine(Path.GetTempPath(), "berth-articles-tests-" + Guid.NewGuid().ToString("N"));

    public ArticlesAppTests() => Directory.CreateDirectory(_tempDir);

    private string DbPath => Path.Combine(_tempDir, "articles.db");

    private ArticlesProcess Start(params (string Key, string Value)[] env)
    {
        var environment = new Dictionary<string, string> { ["ARTICLES_DB"] = DbPath };
        foreach (var (k, v) in env)
        {
            environment[k] = v;
        }

        return ArticlesProcess.Start(environment);
    }

    [Fact]
    public async Task HomePage_WithVersionAndReplicaId_ShowsWhichReplicaServed()
    {
        await using var app = Start(("ARTICLES_VERSION", "7"), ("BERTH_REPLICA_ID", "test-1"));
        await app.WaitHealthyAsync();

        var html = await app.Client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Version 7", html, StringComparison.Ordinal);
        Assert.Contains("test-1", html, StringComparison.Ordinal);
        Assert.Contains($">{app.Process.Id}<", html, StringComparison.Ordinal);
        Assert.Contains("Bienvenue", html, StringComparison.Ordinal); // seeded article
        Assert.Contains("action=\"/articles\"", html, StringComparison.Ordinal);

        using var info = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri("/api/info", UriKind.Relative)));
        Assert.Equal("7", info.RootElement.GetProperty("version").GetString());
        Assert.Equal("test-1", info.RootElement.GetProperty("replica").GetString());
        Assert.Equal(app.Process.Id, info.RootElement.GetProperty("pid").GetInt32());
        Assert.True(info.RootElement.TryGetProperty("startedAt", out _));
        Assert.Contains("articles v7 replica test-1 listening on http://127.0.0.1:", app.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_CreateReadDelete_RoundTrips()
    {
        await using var app = Start();
        await app.WaitHealthyAsync();

        var seeded = await app.Client.GetFromJsonAsync<List<ArticleDto>>(new Uri("/api/articles", UriKind.Relative));
        Assert.Equal(3, seeded!.Count);

        using var created = await app.Client.PostAsJsonAsync(new Uri("/api/articles", UriKind.Relative), new { title = "Canary", body = "10% of users" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var article = await created.Content.ReadFromJsonAsync<ArticleDto>();
        Assert.Equal("Canary", article!.Title);
        Assert.Equal($"/api/articles/{article.Id}", created.Headers.Location?.OriginalString);

        var fetched = await app.Client.GetFromJsonAsync<ArticleDto>(new Uri($"/api/articles/{article.Id}", UriKind.Relative));
        Assert.Equal("10% of users", fetched!.Body);

        var all = await app.Client.GetFromJsonAsync<List<ArticleDto>>(new Uri("/api/articles", UriKind.Relative));
        Assert.Contains(all!, a => a.Id == article.Id);

        using var deleted = await app.Client.DeleteAsync(new Uri($"/api/articles/{article.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await app.Client.GetAsync(new Uri($"/api/articles/{article.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Api_PostWithoutTitle_Returns400WithMessage()
    {
        await using var app = Start();
        await app.WaitHealthyAsync();

        using var response = await app.Client.PostAsJsonAsync(new Uri("/api/articles", UriKind.Relative), new { body = "no title" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("title is required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_FormPost_AddsArticleAndRedirects()
    {
        await using var app = Start();
        await app.WaitHealthyAsync();

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["title"] = "From the form", ["body"] = "b" });
        using var response = await app.Client.PostAsync(new Uri("/articles", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // redirect followed to GET /
        Assert.Contains("From the form", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/articles")]
    [InlineData("/api/info")]
    [InlineData("/healthz")]
    [InlineData("/does-not-exist")]
    public async Task Responses_AnyPath_CarryVersionAndReplicaHeaders(string path)
    {
        await using var app = Start(("ARTICLES_VERSION", "3"), ("BERTH_REPLICA_ID", "test-h"));
        await app.WaitHealthyAsync();

        using var response = await app.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal("3", Assert.Single(response.Headers.GetValues("X-Articles-Version")));
        Assert.Equal("test-h", Assert.Single(response.Headers.GetValues("X-Articles-Replica")));
    }

    [Fact]
    public async Task FailRate_One_Returns500OnPageAndApiButHealthzStays200()
    {
        await using var app = Start(("ARTICLES_FAIL_RATE", "1"));
        await app.WaitHealthyAsync();

        for (var i = 0; i < 5; i++)
        {
            using var api = await app.Client.GetAsync(new Uri("/api/articles", UriKind.Relative));
            Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        }

        using var page = await app.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        using var health = await app.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Latency_300Ms_DelaysApiRequestsAtLeastThatLong()
    {
        await using var app = Start(("ARTICLES_LATENCY_MS", "300"));
        await app.WaitHealthyAsync();

        var sw = Stopwatch.StartNew();
        using var response = await app.Client.GetAsync(new Uri("/api/articles", UriKind.Relative));
        sw.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(sw.ElapsedMilliseconds >= 300, $"request took {sw.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    public async Task CrashOnStart_Set_ExitsWithCode1Quickly(string value)
    {
        await using var app = Start(("ARTICLES_CRASH_ON_START", value));

        var code = await app.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, code);
        Assert.Contains("ARTICLES_CRASH_ON_START", app.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ARTICLES_FAIL_RATE", "abc")]
    [InlineData("ARTICLES_FAIL_RATE", "1.5")]
    [InlineData("ARTICLES_LATENCY_MS", "-5")]
    [InlineData("ARTICLES_CRASH_ON_START", "maybe")]
    public async Task Start_InvalidKnob_ExitsWithCode2AndNamesTheVariable(string name, string value)
    {
        await using var app = Start((name, value));

        var code = await app.WaitForExitAsync(TimeSpan.FromSeconds(20));
        // Give the async stderr reader a moment to drain after exit.
        await Task.Delay(200);

        Assert.Equal(2, code);
        Assert.Contains(name, app.StandardError, StringComparison.Ordinal);
        Assert.Contains(value, app.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedDatabase_TwoReplicas_SeeArticlesAddedByEachOther()
    {
        await using var a = Start(("BERTH_REPLICA_ID", "replica-a"));
        await using var b = Start(("BERTH_REPLICA_ID", "replica-b"));
        await Task.WhenAll(a.WaitHealthyAsync(), b.WaitHealthyAsync());

        // Concurrent start must not seed twice.
        var initial = await b.Client.GetFromJsonAsync<List<ArticleDto>>(new Uri("/api/articles", UriKind.Relative));
        Assert.Equal(3, initial!.Count);

        using var fromA = await a.Client.PostAsJsonAsync(new Uri("/api/articles", UriKind.Relative), new { title = "written by a", body = "" });
        Assert.Equal(HttpStatusCode.Created, fromA.StatusCode);
        using var fromB = await b.Client.PostAsJsonAsync(new Uri("/api/articles", UriKind.Relative), new { title = "written by b", body = "" });
        Assert.Equal(HttpStatusCode.Created, fromB.StatusCode);

        var seenByB = await b.Client.GetFromJsonAsync<List<ArticleDto>>(new Uri("/api/articles", UriKind.Relative));
        var seenByA = await a.Client.GetFromJsonAsync<List<ArticleDto>>(new Uri("/api/articles", UriKind.Relative));
        Assert.Contains(seenByB!, x => x.Title == "written by a");
        Assert.Contains(seenByA!, x => x.Title == "written by b");

        using var pageB = await b.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal("replica-b", Assert.Single(pageB.Headers.GetValues("X-Articles-Replica")));
        Assert.Contains("written by a", await pageB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_tempDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record ArticleDto(long Id, string Title, string Body, DateTimeOffset CreatedAt);
}
