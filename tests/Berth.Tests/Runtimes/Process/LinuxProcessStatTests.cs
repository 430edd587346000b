using Berth.Runtimes.Process;

namespace Berth.Tests.Runtimes.Process;

public sealed class LinuxProcessStatTests
{
    [Fact]
    public void Parse_CommandWithSpacesAndParens_FieldsAfterLastParen()
    {
        var stat = LinuxProcessStat.Parse(42, "42 (my (odd) cmd) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10");

        Assert.Equal(new LinuxProcessStat(42, 'S', 42, 42, 987654), stat);
    }

    [Fact]
    public void TryRead_CurrentProcess_AliveWithStartTime()
    {
        var stat = LinuxProcessStat.TryRead(Environment.ProcessId);

        Assert.NotNull(stat);
        Assert.False(stat.IsZombie);
        Assert.True(stat.StartTicks > 0);
        Assert.NotNull(stat.Age());
    }

    [Fact]
    public void TryRead_NoSuchPid_Null()
    {
        Assert.Null(LinuxProcessStat.TryRead(int.MaxValue));
    }
}
