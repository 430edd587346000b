namespace Berth.Cli.Usage;

/// <summary>An option that takes a value was given without one (<c>berth events --service</c>).</summary>
public sealed class MissingOptionValueException : Exception
{
    public MissingOptionValueException()
        : base("an option is missing its value")
    {
    }
}
