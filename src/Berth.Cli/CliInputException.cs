namespace Berth.Cli;

/// <summary>Bad input found while a command runs (not at parse time): printed as "error: ...", exit code 2.</summary>
public sealed class CliInputException : Exception
{
    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(IEnumerable<string> lines)
        : base(string.Join(Environment.NewLine, lines))
    {
    }
}
