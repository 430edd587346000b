namespace Berth.Images;

/// <summary>What a progress line is, from the engine's JSON message stream.</summary>
public enum BuildProgressKind
{
    /// <summary>Build output (<c>stream</c>): "Step 2/5 : COPY publish/ ./" and the commands' own output.</summary>
    Output,

    /// <summary>A status (<c>status</c>, with the layer id when there is one): push and pull progress.</summary>
    Status,

    /// <summary>The engine's <c>error</c>: the build or push stopped.</summary>
    Error,

    /// <summary>A layer's byte counter ("Pushing", <see cref="BuildProgress.Current"/> of <see cref="BuildProgress.Total"/>): for a live view, not a log.</summary>
    Transfer,
}

/// <summary>One line of live progress of a build or push of one service's image.</summary>
public sealed record BuildProgress(string Service, BuildProgressKind Kind, string Text)
{
    /// <summary>The layer (short id) a status or transfer is about; null for messages about the whole image.</summary>
    public string? Layer { get; init; }

    /// <summary>The status alone, without the layer id ("Pushing", "Pushed").</summary>
    public string? State { get; init; }

    /// <summary>Bytes done so far, for <see cref="BuildProgressKind.Transfer"/>.</summary>
    public long? Current { get; init; }

    /// <summary>Bytes in all, for <see cref="BuildProgressKind.Transfer"/>.</summary>
    public long? Total { get; init; }
}
