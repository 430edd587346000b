namespace Berth.Api;

/// <summary>
/// GET /healthz: "ok" while the server runs. <see cref="LocalCredential"/> is the local admin token file's path,
/// given to callers on the server's own machine only (they can read it only with the file system's leave).
/// </summary>
public sealed record HealthInfo(string Status, string? LocalCredential);
