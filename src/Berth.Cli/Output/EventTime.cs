using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>How the CLI prints instants: ISO 8601 in UTC, second precision, so lines sort and diff well.</summary>
public static class EventTime
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
