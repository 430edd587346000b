using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Pipeline;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Pipeline;

/// <summary>
/// Webhooks per environment: every pipeline event reaches the receiver at least once, signed with the server's key;
/// a failed delivery comes again with the same id; a receiver that is down never holds the pipeline back.
/// </summary>
public sealed class PipelineWebhookTests
{
    [Fact]
    public async Task ReceiverDownThenFlaky_PipelineGoesOn_EveryEventDeliveredSignedWithRetriesSharingTheirId()
    {
        var port = LoopbackPort.Free();
        using var app = new PipelineFixture(stagingGates: "{healthy_for: 1s}", webhook: $"http://127.0.0.1:{port}/hook");
        await using var server = await BerthServerProcess.StartAsync();

        // Nothing listens yet: the release still flows to the door of prod.
        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod");

        using var receiver = new Receiver(port, failFirst: 1);
        var expected = new[]
        {
            PipelineEvents.ReleaseCreated, PipelineEvents.Deploying, PipelineEvents.Succeeded, PipelineEvents.Queued,
            PipelineEvents.Verifying, PipelineEvents.GatePassed, PipelineEvents.WaitingApproval,
        };
        // Every kind delivered, and the refused delivery delivered again (its kind may have been seen in another event
        // of the same kind already, e.g. dev's and staging's "deploying": its own retry comes after its backoff).
        bool RefusedOneRedelivered() =>
            receiver.All.FirstOrDefault(d => d.Status == 500) is { } refused && receiver.Accepted.Any(d => d.Id == refused.Id);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && !(expected.All(kind => receiver.Accepted.Any(d => d.Event == kind)) && RefusedOneRedelivered()))
        {
            await Task.Delay(200);
        }

        Assert.True(expected.All(kind => receiver.Accepted.Any(d => d.Event == kind)),
            "missing: " + string.Join(", ", expected.Where(kind => receiver.Accepted.All(d => d.Event != kind))) + "\nserver:\n" + server.Output);

        var key = Encoding.UTF8.GetBytes((await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "webhook.key"))).Trim());
        Assert.All(receiver.All, d => Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(d.Body))), d.Signature));
        Assert.All(receiver.Accepted, d =>
        {
            var payload = JsonSerializer.Deserialize<WebhookPayload>(d.Body, ApiJson.Options)!;
            Assert.Equal((d.Id, d.Event, PipelineFixture.Stack), (payload.Id, payload.Event, payload.Stack));
        });

        // The delivery refused first came again, same id, same body.
        var refused = Assert.Single(receiver.All, d => d.Status == 500);
        Assert.Contains(receiver.Accepted, d => d.Id == refused.Id && d.Body == refused.Body);
        var waiting = JsonSerializer.Deserialize<WebhookPayload>(receiver.Accepted.First(d => d.Event == PipelineEvents.WaitingApproval).Body, ApiJson.Options)!;
        Assert.Equal(("prod", 1, "waiting_approval"), (waiting.Environment, waiting.Release, waiting.State));
    }

    /// <summary>A loopback HTTP receiver answering 500 to its first <c>failFirst</c> requests, 200 after.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<Delivery> _all = new();
        private int _failuresLeft;

        public Receiver(int port, int failFirst)
        {
            _failuresLeft = failFirst;
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public IReadOnlyList<Delivery> All => _all.ToList();

        public IReadOnlyList<Delivery> Accepted => _all.Where(d => d.Status == 200).ToList();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 200;
                _all.Enqueue(new Delivery(
                    context.Request.Headers["X-Berth-Delivery"] ?? "", context.Request.Headers["X-Berth-Event"] ?? "",
                    context.Request.Headers["X-Berth-Signature-256"] ?? "", body, status));
                context.Response.StatusCode = status;
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }

    private sealed record Delivery(string Id, string Event, string Signature, string Body, int Status);
}
