using System.Net;
using Berth.Security;
using Berth.Server.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Security;

/// <summary>The failed-authentication throttle on a fake clock: count, lockout, doubling, expiry, per address.</summary>
public sealed class AuthenticationThrottleTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Bystander = IPAddress.Parse("192.0.2.11");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void RecordFailure_BelowTheLimit_NoLockout()
    {
        var throttle = Create();

        for (var i = 0; i < 9; i++)
        {
            Assert.Null(throttle.RecordFailure(Attacker));
        }

        Assert.Null(throttle.LockedFor(Attacker));
    }

    [Fact]
    public void RecordFailure_TenthWithinTheWindow_LocksThatAddressOnly()
    {
        var throttle = Create();

        for (var i = 0; i < 9; i++)
        {
            throttle.RecordFailure(Attacker);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), throttle.RecordFailure(Attacker));
        Assert.Equal(TimeSpan.FromSeconds(30), throttle.LockedFor(Attacker));
        Assert.Null(throttle.LockedFor(Bystander));
    }

    [Fact]
    public void RecordFailure_SpreadBeyondTheWindow_NeverLocks()
    {
        var throttle = Create();

        for (var i = 0; i < 30; i++)
        {
            Assert.Null(throttle.RecordFailure(Attacker));
            _time.Advance(TimeSpan.FromSeconds(7));
        }
    }

    [Fact]
    public void Lockout_Expires_ThenARepeatLastsTwiceAsLong()
    {
        var throttle = Create();
        Fail(throttle, 10);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.LockedFor(Attacker));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(throttle.LockedFor(Attacker));

        Assert.Equal(TimeSpan.FromSeconds(60), Fail(throttle, 10));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(120), Fail(throttle, 10));
    }

    [Fact]
    public void Lockout_NeverExceedsFifteenMinutes_AndAQuietAddressStartsOver()
    {
        var throttle = Create();
        TimeSpan? lockout = null;
        for (var round = 0; round < 12; round++)
        {
            lockout = Fail(throttle, 10);
            _time.Advance(lockout!.Value);
        }

        Assert.Equal(TimeSpan.FromMinutes(15), lockout);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromSeconds(30), Fail(throttle, 10));
    }

    private TimeSpan? Fail(AuthenticationThrottle throttle, int times)
    {
        TimeSpan? last = null;
        for (var i = 0; i < times; i++)
        {
            last = throttle.RecordFailure(Attacker);
        }

        return last;
    }

    private AuthenticationThrottle Create() => new(_time, Options.Create(new SecurityOptions()));
}
