namespace Berth.Cli.Usage;

/// <summary>Arguments after <c>--</c>: no Berth command takes any, so they are refused rather than silently ignored.</summary>
public sealed class UnexpectedArgumentsException : Exception
{
    public UnexpectedArgumentsException(IReadOnlyList<string> arguments)
        : base($"unexpected arguments: {string.Join(' ', arguments)}")
    {
        Arguments = arguments;
    }

    public IReadOnlyList<string> Arguments { get; }
}
