using System.Text.Json;
using Berth.Artifacts;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>
/// Process artifacts: a service with x-berth.process.artifact runs in the files its x-berth.artifact made, packed by
/// `berth deploy` (built first when missing), uploaded by digest and kept by the server. Changed files are a new release
/// naming the new digest; a rollback runs the old files though the working copy changed; the same files give the same
/// digest; an upload whose bytes do not match its digest is refused.
/// </summary>
public sealed class ProcessArtifactTests
{
    [Fact]
    public async Task Deploy_FromItsArtifact_NewFilesNewRelease_RollbackRunsTheOldFiles()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        dir.File("page.txt", "version one\n");
        var compose = WebCompose(dir, port);
        await using var server = await BerthServerProcess.StartAsync();

        var first = await server.CliAsync("deploy", "-c", compose, "art");

        Assert.True(first.ExitCode == 0, first + "\nserver:\n" + server.Output);
        Assert.Contains("Building artifact web", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("uploaded", first.Stdout, StringComparison.Ordinal);
        // The service has no healthcheck: its replica counts as up when it starts, a moment before python listens.
        Assert.Equal("version one\n", await WaitForAsync(port, "version one\n"));

        // The working copy changes; the next deploy sees the output folder and packs it as it is now.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "out", "index.html"), "version two\n");
        dir.File("page.txt", "version two\n");
        var second = await server.CliAsync("deploy", "-c", compose, "art");
        Assert.True(second.ExitCode == 0, second + "\nserver:\n" + server.Output);
        Assert.Contains("artifact: sha256:", second.Stdout, StringComparison.Ordinal);
        Assert.Equal("version two\n", await WaitForAsync(port, "version two\n"));

        var releases = JsonSerializer.Deserialize<List<Berth.Api.ReleaseInfo>>((await server.CliAsync("releases", "art_web", "--json")).Stdout, Berth.Api.ApiJson.Options)!
            .OrderBy(r => r.Number).ToList();
        Assert.Equal(2, releases.Count);
        Assert.All(releases, r => Assert.True(ArtifactPackage.IsDigest(r.Digest), r.Digest));
        Assert.NotEqual(releases[0].Digest, releases[1].Digest);

        // The working copy now holds something else entirely: a rollback still runs release 1's files.
        Directory.Delete(Path.Combine(dir.Path, "out"), recursive: true);
        var rollback = await server.CliAsync("rollback", "art_web", "--to", "1");
        Assert.True(rollback.ExitCode == 0, rollback + "\nserver:\n" + server.Output);
        Assert.Equal("version one\n", await WaitForAsync(port, "version one\n"));

        // Deploying the same files again uploads nothing: the server has that digest.
        await File.WriteAllTextAsync(dir.File("page.txt", "version two\n"), "version two\n");
        var again = await server.CliAsync("deploy", "-c", compose, "art");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already on the server", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_SameFilesSameDigest_WhateverTheirTimes()
    {
        using var dir = new TempDirectory();
        var a = Directory.CreateDirectory(Path.Combine(dir.Path, "a")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(dir.Path, "b")).FullName;
        foreach (var folder in new[] { a, b })
        {
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            await File.WriteAllTextAsync(Path.Combine(folder, "sub", "x.txt"), "x");
            await File.WriteAllTextAsync(Path.Combine(folder, "y.txt"), "y");
        }

        File.SetLastWriteTimeUtc(Path.Combine(b, "y.txt"), new DateTime(2011, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var first = await ArtifactPackage.PackAsync(a, Path.Combine(dir.Path, "a.tar.gz"), default);
        var second = await ArtifactPackage.PackAsync(b, Path.Combine(dir.Path, "b.tar.gz"), default);
        await File.WriteAllTextAsync(Path.Combine(b, "y.txt"), "changed");
        var third = await ArtifactPackage.PackAsync(b, Path.Combine(dir.Path, "c.tar.gz"), default);

        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
    }

    [Fact]
    public async Task Pack_ALinkOutOfTheFolder_Refused()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "out")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "passwd"), "/etc/passwd");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ArtifactPackage.PackAsync(folder, Path.Combine(dir.Path, "x.tar.gz"), default));

        Assert.Contains("outside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_BytesThatAreNotTheDigest_RefusedNothingKept()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var digest = "sha256:" + new string('a', 64);

        using var put = await server.Http.PutAsync(Berth.Api.ApiRoutes.Artifact(digest), new ByteArrayContent("not it"u8.ToArray()));
        using var get = await server.Http.GetAsync(Berth.Api.ApiRoutes.Artifact(digest));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("nothing was kept", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Rollback_ToAReleaseWhoseArtifactIsGone_RefusedAndNothingChanges()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        var compose = WebCompose(dir, port);
        await using var server = await BerthServerProcess.StartAsync();
        dir.File("page.txt", "version one\n");
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", compose, "art")).ExitCode);
        Directory.Delete(Path.Combine(dir.Path, "out"), recursive: true);
        dir.File("page.txt", "version two\n");
        var second = await server.CliAsync("deploy", "-c", compose, "art");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("version two\n", await WaitForAsync(port, "version two\n"));
        var first = JsonSerializer.Deserialize<List<Berth.Api.ReleaseInfo>>((await server.CliAsync("releases", "art_web", "--json")).Stdout, Berth.Api.ApiJson.Options)!
            .Single(r => r.Number == 1);

        // A data folder restored without its artifacts, or files removed by hand.
        foreach (var entry in new DirectoryInfo(Path.Combine(server.DataDirectory, "artifacts")).EnumerateFileSystemInfos(first.Digest!.Replace(':', '-') + "*"))
        {
            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }

        var rollback = await server.CliAsync("rollback", "art_web", "--to", "1");
        var service = await server.CliAsync("service", "inspect", "art_web", "--json");

        Assert.Equal(1, rollback.ExitCode);
        Assert.Contains($"release 1 of art_web runs artifact {first.Digest}, which the server no longer has", rollback.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", rollback.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", rollback.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"release\": 2", service.Stdout, StringComparison.Ordinal);
        Assert.Equal("version two\n", await GetAsync(port));
    }

    [RootFact]
    public async Task Deploy_ServerDiskFull_ClearErrorNothingKept()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        var compose = WebCompose(dir, port);
        // Random bytes do not compress: the package is bigger than the little disk below.
        dir.File("page.txt", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000)));
        await using var server = await BerthServerProcess.StartAsync();
        var artifacts = Directory.CreateDirectory(Path.Combine(server.DataDirectory, "artifacts")).FullName;
        await using var disk = await SmallDisk.MountAsync(artifacts, "128k");

        var deploy = await server.CliAsync("deploy", "-c", compose, "art");
        var services = await server.CliAsync("service", "ls", "--json");

        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains("no space left on the server's disk", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was kept", deploy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", deploy.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(artifacts));
        Assert.DoesNotContain("art_web", services.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A service "web" serving out/index.html, which its artifact command copies from page.txt.</summary>
    private static string WebCompose(TempDirectory dir, int port) => dir.File("compose.yml", $$"""
        services:
          web:
            build: .
            ports: ["{{port}}:8000"]
            deploy:
              replicas: 1
            stop_grace_period: 1s
            x-berth:
              artifact:
                command: ["sh", "-c", "mkdir -p out && cp page.txt out/index.html"]
                output: out
              process:
                artifact: true
                command: ["python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1"]
        """);

    private static async Task<string> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html"));
    }

    /// <summary>Polls (≤ 60 s) until the page reads <paramref name="expected"/>; returns what it read last.</summary>
    private static async Task<string> WaitForAsync(int port, string expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                last = await GetAsync(port);
                if (last == expected)
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        return last;
    }
}
