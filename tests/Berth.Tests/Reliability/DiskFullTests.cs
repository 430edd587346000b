using System.Text.Json;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Reliability;

/// <summary>
/// The data folder's disk full (a real 64 MiB tmpfs mounted on it, then filled) during a deploy: a clear error (507,
/// exit 1), nothing half-written (no new release), the running release keeps serving every request; once space is
/// freed the same deploy goes through.
/// </summary>
public sealed class DiskFullTests
{
    private const string App = """
        import http.server, os
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = os.environ["VERSION"].encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
        """;

    [RootFact]
    public async Task Deploy_DataFolderDiskFull_ClearErrorNothingWritten_RunningReleaseKeepsServing()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        dir.File("app.py", App);
        var compose = dir.File("compose.yml", $$"""
            services:
              web:
                ports: ["{{port}}:8000"]
                environment:
                  VERSION: ${VERSION:-1}
                deploy:
                  replicas: 2
                stop_grace_period: 1s
                x-berth:
                  process:
                    command: ["python3", "app.py"]
                  health:
                    http_path: /
            """);
        SmallDisk? disk = null;
        try
        {
            await using var server = await BerthServerProcess.StartOnAsync(async data => disk = await SmallDisk.MountAsync(data, "64m"));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var first = await server.CliAsync("deploy", "-c", compose, "full");
            Assert.True(first.ExitCode == 0, first + "\nserver:\n" + server.Output);
            Assert.Equal("1", await http.GetStringAsync(new Uri("/", UriKind.Relative)));

            var filler = Path.Combine(server.DataDirectory, "filler");
            await FillAsync(filler);
            var second = await server.CliAsync(new Dictionary<string, string> { ["VERSION"] = "2" }, "deploy", "-c", compose, "full");

            Assert.True(second.ExitCode == 1, second + "\nserver:\n" + server.Output);
            Assert.Contains("no space left on the disk of the server's data folder: nothing was changed", second.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);
            Assert.Equal([1], await ReleasesAsync(server));
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal("1", await http.GetStringAsync(new Uri("/", UriKind.Relative)));
            }

            File.Delete(filler);
            var third = await server.CliAsync(new Dictionary<string, string> { ["VERSION"] = "2" }, "deploy", "-c", compose, "full");

            Assert.True(third.ExitCode == 0, third + "\nserver:\n" + server.Output);
            Assert.Equal([1, 2], await ReleasesAsync(server));
            Assert.Equal("2", await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }
        finally
        {
            if (disk is not null)
            {
                await disk.DisposeAsync();
            }
        }
    }

    private static async Task<List<int>> ReleasesAsync(BerthServerProcess server)
    {
        var listed = await server.CliAsync("releases", "full_web", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        using var json = JsonDocument.Parse(listed.Stdout);
        return json.RootElement.EnumerateArray().Select(r => r.GetProperty("number").GetInt32()).Order().ToList();
    }

    /// <summary>Writes to <paramref name="path"/> until the disk has no byte left (big writes, then smaller ones).</summary>
    private static async Task FillAsync(string path)
    {
        var chunk = new byte[1 << 20];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var size in (int[])[1 << 20, 1 << 16, 1 << 12, 1])
        {
            try
            {
                for (var i = 0; i < 1 << 13; i++)
                {
                    await file.WriteAsync(chunk.AsMemory(0, size));
                }
            }
            catch (IOException)
            {
                // Full at this size: what fitted stays; try smaller.
            }
        }
    }
}
