using System.Runtime.CompilerServices;
using Json.Schema;

namespace Berth.Spec.Schema;

/// <summary>
/// JsonSchema.Net's module initializer registers its dialects and builds the meta-schemas of every JSON Schema draft.
/// The JIT-compiled server runs it the first time it uses the library; the ahead-of-time compiled client would run it
/// at the start of every command, for about a third of a `berth service ls`, so the client's build leaves it out
/// (src/Berth.Cli/JsonSchemaStartup.Substitutions.xml) and the first compose load runs its two steps here instead.
/// </summary>
internal static class JsonSchemaStartup
{
    private const string Initializer = "Json.Schema.__ModuleInitialization, JsonSchema.Net";

    /// <summary>Runs the library's initialization unless it has run (its meta-schemas are set).</summary>
    public static void EnsureInitialized()
    {
        if (MetaSchemas.Draft7 is not null)
        {
            return;
        }

        LoadDialects(null);
        LoadMetaSchemas(null);
    }

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "LoadDialects")]
    private static extern void LoadDialects([UnsafeAccessorType(Initializer)] object? initializer);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "LoadMetaSchemas")]
    private static extern void LoadMetaSchemas([UnsafeAccessorType(Initializer)] object? initializer);
}
