using System.Net;
using Berth.Security;
using Microsoft.Extensions.Options;

namespace Berth.Server.Security;

/// <summary>
/// Counts failed authentications per client address; after <see cref="SecurityOptions.FailuresBeforeLockout"/> within
/// <see cref="SecurityOptions.FailureWindow"/> the address is refused (429) for a lockout that doubles on each repeat,
/// up to 15 minutes. A failure is a presented credential that is not valid, or a change attempted with none;
/// calls that present nothing and change nothing (a probe, a first read) are not counted.
/// </summary>
public sealed class AuthenticationThrottle
{
    private static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);
    private const int MaxTrackedAddresses = 10_000;

    private readonly TimeProvider _time;
    private readonly SecurityOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, AddressState> _addresses = [];

    public AuthenticationThrottle(TimeProvider time, IOptions<SecurityOptions> options)
    {
        _time = time;
        _options = options.Value;
    }

    /// <summary>How long <paramref name="address"/> must still wait, or null when it may try.</summary>
    public TimeSpan? LockedFor(IPAddress address)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _addresses.TryGetValue(address, out var state) && state.LockedUntil > now ? state.LockedUntil - now : null;
        }
    }

    /// <summary>Counts a failure; returns the lockout when this failure starts one, else null.</summary>
    public TimeSpan? RecordFailure(IPAddress address)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_addresses.TryGetValue(address, out var state))
            {
                if (_addresses.Count >= MaxTrackedAddresses)
                {
                    Forget(now);
                }

                state = new AddressState();
                _addresses[address] = state;
            }

            state.Failures.Enqueue(now);
            while (state.Failures.TryPeek(out var oldest) && now - oldest > _options.FailureWindow)
            {
                state.Failures.Dequeue();
            }

            if (state.Failures.Count < _options.FailuresBeforeLockout)
            {
                return null;
            }

            // A lockout that comes soon after the previous one lasts twice as long; a quiet address starts over.
            state.Lockouts = now - state.LockedUntil > MaxLockout ? 1 : state.Lockouts + 1;
            var lockout = TimeSpan.FromTicks(Math.Min(MaxLockout.Ticks, _options.LockoutDuration.Ticks << Math.Min(state.Lockouts - 1, 20)));
            state.LockedUntil = now + lockout;
            state.Failures.Clear();
            return lockout;
        }
    }

    /// <summary>Drops addresses neither locked nor failing recently (bounded memory under a spray of addresses).</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (address, state) in _addresses.ToList())
        {
            if (state.LockedUntil + MaxLockout < now && (!state.Failures.TryPeek(out var last) || now - last > _options.FailureWindow))
            {
                _addresses.Remove(address);
            }
        }

        if (_addresses.Count >= MaxTrackedAddresses)
        {
            // Still full of active addresses: forget the oldest half rather than grow.
            foreach (var address in _addresses.OrderBy(a => a.Value.LockedUntil).Take(_addresses.Count / 2).Select(a => a.Key).ToList())
            {
                _addresses.Remove(address);
            }
        }
    }

    private sealed class AddressState
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;

        public int Lockouts { get; set; }
    }
}
