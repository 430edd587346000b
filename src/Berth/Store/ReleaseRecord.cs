using Berth.Spec;

namespace Berth.Store;

/// <summary>An immutable, numbered version of a service: the resolved spec it runs. Never updated once written.</summary>
public sealed record ReleaseRecord(
    string Service,
    int Number,
    DateTimeOffset CreatedAt,
    ServiceSpec Spec,
    string SpecHash,
    string Summary);
