namespace Berth.Api;

/// <summary>One log line of a service's replica, as streamed (NDJSON) by GET /services/{name}/logs.</summary>
public sealed record LogEntry(string Replica, string Text);
