namespace Berth.Images;

/// <summary>
/// What a deploy pins a service's image to: <see cref="Pinned"/> (<c>IMAGE@sha256:…</c> or a local image ID), with a
/// <see cref="Warning"/> when the pin is weaker than a registry digest, or a <see cref="Problem"/> that refuses the deploy.
/// </summary>
public sealed record ImagePin(string? Pinned, string? Warning = null, string? Problem = null)
{
    /// <summary>Nothing to pin (no image, or a runtime that runs no images).</summary>
    public static ImagePin None { get; } = new((string?)null);

    /// <summary>The digest part of a pinned reference: <c>sha256:…</c> after the <c>@</c>, or the local image ID itself.</summary>
    public static string? DigestOf(string? pinned) =>
        pinned is null ? null
        : pinned.IndexOf('@', StringComparison.Ordinal) is var at and > 0 ? pinned[(at + 1)..]
        : pinned.StartsWith("sha256:", StringComparison.Ordinal) ? pinned
        : null;

    /// <summary>True when <paramref name="pinned"/> is an engine's local image ID rather than a registry digest.</summary>
    public static bool IsLocalImageId(string? pinned) =>
        pinned is not null && pinned.StartsWith("sha256:", StringComparison.Ordinal);

    /// <summary><c>sha256:</c> and the first 12 hex digits, as docker shows IDs.</summary>
    public static string Short(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] : digest;
}
