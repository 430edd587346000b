using System.Globalization;
using System.Text.Json;

namespace Berth.Tests.Reliability;

/// <summary>
/// How long and how hard the reliability tests run: a short, seeded profile in the normal suite, the full one with
/// BERTH_RELIABILITY_FULL=1 (bench/reliability/run.sh). Figures go to BERTH_RELIABILITY_RESULTS when it names a folder.
/// </summary>
internal static class ReliabilityProfile
{
    public static bool Full => Environment.GetEnvironmentVariable("BERTH_RELIABILITY_FULL") is "1" or "true";

    /// <summary>The seed of every random choice (BERTH_RELIABILITY_SEED, default 12), printed with the figures so a run can be replayed.</summary>
    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("BERTH_RELIABILITY_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 12;

    public static TimeSpan ChaosDuration => Full ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(16);

    /// <summary>Writes a test's figures as JSON for the report (no-op outside bench/reliability/run.sh).</summary>
    public static void Record(string name, object figures)
    {
        if (Environment.GetEnvironmentVariable("BERTH_RELIABILITY_RESULTS") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".json"), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
    }
}
