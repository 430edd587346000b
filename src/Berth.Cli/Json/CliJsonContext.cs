using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Cli.Api;
using Berth.Cli.Commands.Contexts;
using Berth.Cli.Commands.Server;
using Berth.Cli.Commands.Tokens;
using Berth.Cli.Connection;

namespace Berth.Cli.Json;

/// <summary>Source-generated JSON metadata of what only the CLI writes or reads: its config file and its own --json documents.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(List<ContextRow>))]
[JsonSerializable(typeof(List<Berth.Cli.Commands.Registries.RegistryLoginRow>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(VersionReport))]
[JsonSerializable(typeof(WhoAmIReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
