using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Berth.Cli.Usage;

/// <summary>Spectre's help without the description and examples: the usage printed under a command-line error.</summary>
public sealed class UsageHelpProvider : HelpProvider
{
    public UsageHelpProvider(ICommandAppSettings settings)
        : base(settings)
    {
    }

    public override IEnumerable<IRenderable> GetDescription(ICommandModel model, ICommandInfo? command) => [];

    public override IEnumerable<IRenderable> GetExamples(ICommandModel model, ICommandInfo? command) => [];
}
