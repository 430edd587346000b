namespace Berth.Images;

/// <summary>How a build or push of one service's image ended: the image, or the engine's error.</summary>
public sealed record ImageOperationResult(string Service, string Image, string? Error)
{
    public bool Succeeded => Error is null;
}
