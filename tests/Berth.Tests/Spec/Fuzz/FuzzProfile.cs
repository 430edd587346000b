using System.Globalization;

namespace Berth.Tests.Spec.Fuzz;

/// <summary>
/// How much to fuzz: the short profile (5,000 inputs) runs in every test run; <c>BERTH_FUZZ_FULL=1</c> runs the
/// long one (100,000). <c>BERTH_FUZZ_INPUTS</c> and <c>BERTH_FUZZ_SEED</c> override the count and the seed.
/// </summary>
internal sealed record FuzzProfile(string Name, int Inputs, ulong Seed)
{
    public const ulong DefaultSeed = 20261204;

    public static FuzzProfile FromEnvironment()
    {
        var full = Environment.GetEnvironmentVariable("BERTH_FUZZ_FULL") == "1";
        var profile = full ? new FuzzProfile("long", 100_000, DefaultSeed) : new FuzzProfile("short", 5_000, DefaultSeed);
        if (int.TryParse(Environment.GetEnvironmentVariable("BERTH_FUZZ_INPUTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var inputs) && inputs > 0)
        {
            profile = profile with { Inputs = inputs };
        }

        if (ulong.TryParse(Environment.GetEnvironmentVariable("BERTH_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            profile = profile with { Seed = seed };
        }

        return profile;
    }
}
