using System.Diagnostics;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Routing.Tcp;

/// <summary>
/// A real server (and its router process) deploying a TCP echo service with <c>app_protocol: tcp</c>: clients talk to
/// it through the published port; a UDP port is refused at deploy.
/// </summary>
[Collection(RoutingCollection.Name)]
public sealed class TcpServiceEndToEndTests
{
    // Greets with its replica id, then echoes: a service that is not HTTP at all.
    private const string EchoServer = """
        import os, socketserver
        class Echo(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.sendall((os.environ['BERTH_REPLICA_ID'] + '\n').encode())
                while True:
                    data = self.request.recv(4096)
                    if not data:
                        break
                    self.request.sendall(data)
        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True
        Server(('127.0.0.1', int(os.environ['PORT'])), Echo).serve_forever()
        """;

    private const string Listening = "import os, socket; socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), 1).close()";

    private static string Compose(TempDirectory dir, int port, int graceSeconds = 2) => dir.File("compose.yml", $$"""
        services:
          echo:
            ports:
              - target: 7000
                published: {{port}}
                app_protocol: tcp
            healthcheck:
              test: ["CMD", "/usr/bin/python3", "-c", "{{Listening}}"]
              interval: 1s
              timeout: 2s
              start_period: 20s
              start_interval: 200ms
            deploy:
              replicas: 2
            stop_grace_period: {{graceSeconds}}s
            x-berth:
              process:
                command:
                  - /usr/bin/python3
                  - -c
                  - |
        {{Indent(EchoServer, 12)}}
        """);

    [Fact]
    public async Task Deploy_TcpEchoService_ClientsTalkThroughThePublishedPortToEveryReplica()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();

        var deploy = await server.CliAsync("deploy", "-c", Compose(dir, port), "tcp");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await server.WaitForReplicasAsync("tcp", r => r.Count(x => x.Health == "healthy") == 2, TimeSpan.FromSeconds(30), "2 healthy");
        using (var first = await FirstSessionAsync(port, TimeSpan.FromSeconds(20), server))
        {
            Assert.Equal("through berth", await first.EchoAsync("through berth"));
        }

        var reached = await TcpRig.ConnectManyAsync(port, 20);

        Assert.All(replicas, r => Assert.Contains(r.Id, reached));
        Assert.DoesNotContain(null, reached);
        var inspect = await server.CliAsync("service", "inspect", "tcp_echo");
        Assert.Contains($"127.0.0.1:{port}/tcp", inspect.Stdout);
    }

    [Fact]
    public async Task ScaleDown_WithOpenConnections_TheLeavingReplicasConnectionFlowsUntilTheGraceThenNewOnesGoToTheOther()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port, graceSeconds: 8), "tcp")).ExitCode);
        await server.WaitForReplicasAsync("tcp", r => r.Count(x => x.Health == "healthy") == 2, TimeSpan.FromSeconds(30), "2 healthy");
        var sessions = new List<TcpSession> { await FirstSessionAsync(port, TimeSpan.FromSeconds(20), server) };
        try
        {
            // One open connection to each replica.
            for (var i = 0; i < 20 && sessions.Select(s => s.Replica).Distinct().Count() < 2; i++)
            {
                sessions.Add(await TcpSession.ConnectAsync(port));
            }

            var one = sessions.DistinctBy(s => s.Replica).ToList();
            Assert.Equal(2, one.Count);

            // Within the 8 s grace both connections still flow, whichever replica is leaving.
            Assert.Equal(0, (await server.CliAsync("scale", "tcp_echo=1")).ExitCode);
            foreach (var session in one)
            {
                Assert.Equal("during the drain", await session.EchoAsync("during the drain"));
            }

            var left = (await server.WaitForReplicasAsync("tcp", r => r.Count == 1, TimeSpan.FromSeconds(40), "1 replica")).Single();
            var kept = one.Single(s => s.Replica == left.Id);
            var leaving = one.Single(s => s.Replica != left.Id);

            Assert.True(await leaving.ClosedByPeerAsync(TimeSpan.FromSeconds(20)), "the leaving replica's connection was never closed");
            Assert.Equal("still here", await kept.EchoAsync("still here"));
            Assert.All(await TcpRig.ConnectManyAsync(port, 6), r => Assert.Equal(left.Id, r));
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Deploy_UdpPort_RefusedWithTheFileLineAndKeyAndNothingWritten()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = dir.File("compose.yml", """
            services:
              dns:
                ports:
                  - "5353:53/udp"
                x-berth:
                  process:
                    command: "sleep 60"
            """);

        var deploy = await server.CliAsync("deploy", "-c", file, "dns");

        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains($"{file}:4:9: error: services.dns.ports[0]: UDP ports are not supported yet by Berth's router;", deploy.Stderr);
        Assert.Equal("[]", (await server.CliAsync("stack", "ls", "--json")).Stdout.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        Assert.DoesNotContain(await server.EventsAsync(), e => !e.Kind.StartsWith("router.", StringComparison.Ordinal));
    }

    /// <summary>The route reaches the router process just after the deploy: the first connection may find no door yet.</summary>
    private static async Task<TcpSession> FirstSessionAsync(int port, TimeSpan timeout, BerthServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var session = await TcpSession.ConnectAsync(port);
                if (session.Replica is not null)
                {
                    return session;
                }

                session.Dispose();
            }
            catch (System.Net.Sockets.SocketException) when (clock.Elapsed < timeout)
            {
            }

            Assert.True(clock.Elapsed < timeout, $"no replica answered on {port} within {timeout}; server output:\n{server.Output}");
            await Task.Delay(200);
        }
    }

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));
}
