namespace Berth.Cli.Connection;

/// <summary>The connection options a command line gave (any may be null).</summary>
public sealed record ConnectionFlags(string? Host, string? Context, string? TokenFile, string? TlsCa);
