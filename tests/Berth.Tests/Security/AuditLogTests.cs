using Berth.Security;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Security;

/// <summary>The audit log's own retention, on real SQLite and a fake clock.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly BerthStore _store;

    public AuditLogTests()
    {
        _store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));
    }

    [Fact]
    public async Task RecordAsync_EntriesOlderThanTheRetention_Deleted()
    {
        var audit = Create(TimeSpan.FromDays(90));
        await audit.RecordAsync("ci", "deployer", "stack.deploy", "articles", 200, "127.0.0.1", null, CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(89));
        await audit.RecordAsync("ci", "deployer", "service.scale", "articles_app=5", 200, "127.0.0.1", null, CancellationToken.None);
        Assert.Equal(2, (await audit.ReadAsync(null, 100, CancellationToken.None)).Count);

        _time.Advance(TimeSpan.FromDays(2));
        await audit.RecordAsync("ops", "admin", "token.create", "ci2", 201, "127.0.0.1", null, CancellationToken.None);

        var kept = await audit.ReadAsync(null, 100, CancellationToken.None);
        Assert.Equal(["service.scale", "token.create"], kept.Select(e => e.Action));
    }

    [Fact]
    public async Task RecordAsync_AFloodOfRefusals_DoesNotPushOutRealEntries()
    {
        var audit = Create(TimeSpan.FromDays(90));
        await audit.RecordAsync("ci", "deployer", "stack.deploy", "articles", 200, "127.0.0.1", null, CancellationToken.None);

        for (var i = 0; i < 2000; i++)
        {
            await audit.RecordAsync("anonymous", null, "stack.rm", "articles", 401, "192.0.2.10", "no token", CancellationToken.None);
        }

        var all = await audit.ReadAsync(null, 100_000, CancellationToken.None);
        Assert.Equal(2001, all.Count);
        Assert.Equal("stack.deploy", all[0].Action);
        Assert.Equal("ok", all[0].Result);
        Assert.Equal("unauthenticated", all[^1].Result);
    }

    [Fact]
    public async Task ReadAsync_SinceAndLimit_NewestEntriesOldestFirst()
    {
        var audit = Create(TimeSpan.FromDays(90));
        for (var i = 1; i <= 10; i++)
        {
            await audit.RecordAsync("ci", "deployer", $"action.{i}", null, 200, null, null, CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        var lastHour = await audit.ReadAsync(_time.GetUtcNow() - TimeSpan.FromMinutes(35), 100, CancellationToken.None);
        var newestThree = await audit.ReadAsync(null, 3, CancellationToken.None);

        Assert.Equal(["action.8", "action.9", "action.10"], lastHour.Select(e => e.Action));
        Assert.Equal(["action.8", "action.9", "action.10"], newestThree.Select(e => e.Action));
    }

    public void Dispose() => _dir.Dispose();

    private AuditLog Create(TimeSpan retention) => new(_store, _time, Options.Create(new AuditOptions { Retention = retention }));
}
