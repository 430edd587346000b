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
}

/// <summary>One line of live progress of a build or push of one service's image.</summary>
public sealed record BuildProgress(string Service, BuildProgressKind Kind, string Text);
