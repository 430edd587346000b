using Berth.Releases;
using Berth.Spec;

namespace Berth.Store;

/// <summary>An immutable, numbered version of a service: the resolved spec it runs. Never updated once written.</summary>
public sealed record ReleaseRecord(
    string Service,
    int Number,
    DateTimeOffset CreatedAt,
    ServiceSpec Spec,
    string SpecHash,
    string Summary)
{
    /// <summary>The secrets this release grants: content hashes (contents are kept apart) or external names. Never contents.</summary>
    public IReadOnlyList<ReleaseSecret> Secrets { get; init; } = [];
}
