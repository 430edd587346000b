using Berth.Spec;

namespace Berth.Runtimes;

/// <summary>
/// A compose key a runtime parses and keeps in the release but does not act on, as docs/compose.md's table states it
/// (a test keeps the two equal).
/// </summary>
/// <param name="Runtime">"process" or "swarm".</param>
/// <param name="Key">The key as the doc names it, in markdown (<c>`deploy.resources`</c>).</param>
/// <param name="Why">What happens instead; also the text of the warning.</param>
/// <param name="Warning">When a deploy warns about it: "yes", or why not.</param>
/// <param name="Find">Where a service sets it, as key paths below the service (<c>deploy.resources</c>, <c>ports[1].protocol</c>); empty when there is nothing to warn about.</param>
public sealed record UnappliedKey(string Runtime, string Key, string Why, string Warning, Func<ServiceSpec, IEnumerable<string>> Find)
{
    /// <summary>The doc table's row for this key.</summary>
    public string MarkdownRow => $"| {Runtime} | {Key} | {Why} | {Warning} |";

    /// <summary>"not applied on the process runtime (replicas are plain processes: ...); kept in the release".</summary>
    public string Message => $"not applied on the {Runtime} runtime ({Why}); kept in the release";
}
