using System.Net.Http.Json;
using System.Text.Json;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Examples;

/// <summary>
/// The quick start's own job, from a copy of examples/articles outside the repository (as a newcomer copies it):
/// `berth deploy` publishes the app (no other step), uploads it as an artifact and runs three replicas from it; the next
/// version reuses the artifact, keeps the data (the service's BERTH_DATA_DIR) and a rollback brings the old one back.
/// </summary>
public sealed class ArticlesExampleDeployTests
{
    [Fact]
    public async Task Example_CopiedOutOfTheRepository_DeploysFromItsArtifact_KeepsItsDataAcrossReleases()
    {
        using var dir = new TempDirectory();
        var example = Path.Combine(dir.Path, "articles");
        Copy(new DirectoryInfo(Path.Combine(RepoPaths.Root, "examples", "articles")), example);
        var port = LoopbackPort.Free();
        var compose = Path.Combine(example, "docker-compose.yml");
        await File.WriteAllTextAsync(compose, (await File.ReadAllTextAsync(compose)).Replace("\"8080:8080\"", $"\"{port}:8080\"", StringComparison.Ordinal));
        await using var server = await BerthServerProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var first = await server.CliAsync("deploy", "-c", compose, "articles");

        Assert.True(first.ExitCode == 0, first + "\nserver:\n" + server.Output);
        Assert.Contains("Building artifact app", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("uploaded", first.Stdout, StringComparison.Ordinal);
        Assert.Equal("1", await VersionAsync(http));
        using (var created = await http.PostAsJsonAsync(new Uri("/api/articles", UriKind.Relative), new { title = "written by release 1", body = "kept" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        var second = await server.CliAsync(new Dictionary<string, string> { ["ARTICLES_VERSION"] = "2" }, "deploy", "-c", compose, "articles");

        Assert.True(second.ExitCode == 0, second + "\nserver:\n" + server.Output);
        Assert.Contains("already on the server", second.Stdout, StringComparison.Ordinal);
        Assert.Equal("2", await VersionAsync(http));
        Assert.Contains("written by release 1", await http.GetStringAsync(new Uri("/api/articles", UriKind.Relative)), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "service-data", "articles_app", "articles.db")), "the database is not in the service's data folder");
        Assert.False(Directory.Exists(Path.Combine(example, "src", "Articles", "articles.db")));

        var rollback = await server.CliAsync("rollback", "articles_app");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal("1", await VersionAsync(http));
    }

    /// <summary>The version every replica answers (the three agree once a rollout is over); polls up to 60 s.</summary>
    private static async Task<string?> VersionAsync(HttpClient http)
    {
        string? version = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                var seen = new HashSet<string?>();
                for (var i = 0; i < 6; i++)
                {
                    using var info = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/info", UriKind.Relative)));
                    seen.Add(info.RootElement.GetProperty("version").GetString());
                }

                version = string.Join(",", seen.Order(StringComparer.Ordinal));
                if (seen.Count == 1)
                {
                    return version;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        return version;
    }

    /// <summary>Copies the example as a user would from a clean checkout: no publish/, bin/ or obj/.</summary>
    private static void Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(to, file.Name));
        }

        foreach (var folder in from.EnumerateDirectories().Where(d => d.Name is not ("publish" or "bin" or "obj")))
        {
            Copy(folder, Path.Combine(to, folder.Name));
        }
    }
}
