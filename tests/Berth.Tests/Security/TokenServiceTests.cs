using Berth.Api;
using Berth.Security;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Security;

/// <summary>Token issue, check, expiry and revocation on real SQLite and a fake clock.</summary>
public sealed class TokenServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly BerthStore _store;
    private readonly TokenService _tokens;

    public TokenServiceTests()
    {
        _store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));
        _tokens = new TokenService(_store, _time, Options.Create(new SecurityOptions()));
    }

    [Fact]
    public async Task CreateAsync_StoresOnlyAHashOfTheSecret()
    {
        var (_, token) = await _tokens.CreateAsync("ci", BerthRole.Deployer, null, "ops", CancellationToken.None);

        var bytes = await ReadWholeStoreAsync();

        Assert.DoesNotContain(token.Secret, bytes, StringComparison.Ordinal);
        Assert.DoesNotContain(token.ToString(), bytes, StringComparison.Ordinal);
        Assert.True((await _tokens.CheckAsync(token.ToString(), CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task CheckAsync_WrongSecretForAKnownId_SameAnswerAsAnUnknownId()
    {
        var (_, token) = await _tokens.CreateAsync("ci", BerthRole.Deployer, null, null, CancellationToken.None);
        var wrongSecret = new AccessToken(token.Id, new string('A', 40)).ToString();
        var unknownId = new AccessToken("0123456789ab", token.Secret).ToString();

        var a = await _tokens.CheckAsync(wrongSecret, CancellationToken.None);
        var b = await _tokens.CheckAsync(unknownId, CancellationToken.None);

        Assert.False(a.IsValid);
        Assert.Equal(a.Reason, b.Reason);
        Assert.Null(a.TokenName);
    }

    [Fact]
    public async Task CheckAsync_AtAndAfterExpiry_Refused()
    {
        var (_, token) = await _tokens.CreateAsync("brief", BerthRole.Viewer, TimeSpan.FromHours(1), null, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.True((await _tokens.CheckAsync(token.ToString(), CancellationToken.None)).IsValid);
        _time.Advance(TimeSpan.FromMinutes(1));
        var check = await _tokens.CheckAsync(token.ToString(), CancellationToken.None);

        Assert.False(check.IsValid);
        Assert.Contains("'brief' expired at", check.Reason);
    }

    [Fact]
    public async Task RevokeAsync_RefusedAtOnce_AndTheNameCanBeUsedAgain()
    {
        var (_, first) = await _tokens.CreateAsync("ci", BerthRole.Deployer, null, null, CancellationToken.None);

        await _tokens.RevokeAsync("ci", CancellationToken.None);
        var (_, second) = await _tokens.CreateAsync("ci", BerthRole.Viewer, null, null, CancellationToken.None);

        Assert.Contains("revoked", (await _tokens.CheckAsync(first.ToString(), CancellationToken.None)).Reason);
        Assert.Equal(BerthRole.Viewer, (await _tokens.CheckAsync(second.ToString(), CancellationToken.None)).Token!.Role);
        Assert.Equal(2, (await _tokens.ListAsync(all: true, CancellationToken.None)).Count);
        Assert.Single(await _tokens.ListAsync(all: false, CancellationToken.None));
    }

    [Theory]
    [InlineData("Bad")]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData("a b")]
    public async Task CreateAsync_InvalidName_RefusedNothingStored(string name)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => _tokens.CreateAsync(name, BerthRole.Viewer, null, null, CancellationToken.None));

        Assert.Contains("not valid", problem.Message);
        Assert.Empty(await _tokens.ListAsync(all: true, CancellationToken.None));
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("Bearer x", "starts with 'berth_'")]
    [InlineData("berth_0123456789ab_short", "40 letters and digits")]
    [InlineData("berth_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "12 hex digits")]
    public void AccessTokenTryParse_BadShapes_SayWhatIsExpected(string? text, string expected)
    {
        Assert.False(AccessToken.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> ReadWholeStoreAsync()
    {
        // Everything SQLite wrote: the database, its WAL and shared memory, as text (secrets would show as ASCII).
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(_dir.Path, "berth.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }
}
