namespace Berth.Api;

/// <summary>Body of POST /services/{name}/rollback: the release to go back to (null = the previous one).</summary>
public sealed record RollbackRequest(int? ToRelease);
