using System.Diagnostics;
using System.Text;

namespace Berth.Tests.Infrastructure;

/// <summary>Everything a started helper process writes to stdout and stderr, interleaved, for failure messages.</summary>
internal sealed class OutputLog
{
    private readonly StringBuilder _text = new();

    private OutputLog()
    {
    }

    /// <summary>Starts reading <paramref name="process"/>'s redirected stdout and stderr into a new log.</summary>
    public static OutputLog Capture(Process process)
    {
        var log = new OutputLog();
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return log;
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private void Append(string? line)
    {
        lock (_text)
        {
            _text.AppendLine(line);
        }
    }
}
