namespace Berth.Api;

/// <summary>`berth promote SERVICE [--full]`: full skips every remaining step and analysis.</summary>
public sealed record PromoteRequest(bool Full = false);
