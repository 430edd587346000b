using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Spec.Writing;

/// <summary>A small fluent layer over YamlDotNet's emitter: block style, strings quoted only when YAML would misread them.</summary>
internal sealed partial class YamlEventWriter
{
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
    private readonly Emitter _emitter;

    public YamlEventWriter()
    {
        _emitter = new Emitter(_text, EmitterSettings.Default.WithBestIndent(2).WithIndentedSequences());
        _emitter.Emit(new StreamStart());
        _emitter.Emit(new DocumentStart(null, null, isImplicit: true));
    }

    // Strings a YAML 1.1 or 1.2 reader would take for a number, boolean, null, timestamp or merge key.
    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|<<)$")]
    private static partial Regex Ambiguous();

    public YamlEventWriter Key(string key) => Str(key);

    public YamlEventWriter OptionalKey(string key, string? value) => value is null ? this : Key(key).Str(value);

    /// <summary>A string value; <c>$</c> is doubled so a reload does not interpolate it.</summary>
    public YamlEventWriter Str(string value)
    {
        var escaped = value.Replace("$", "$$", StringComparison.Ordinal);
        var style = escaped.Length == 0 || Ambiguous().IsMatch(escaped) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        return Emit(new Scalar(null, null, escaped, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    public YamlEventWriter Int(int value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    public YamlEventWriter Number(double value) => Raw(value.ToString("R", CultureInfo.InvariantCulture));

    public YamlEventWriter Bool(bool value) => Raw(value ? "true" : "false");

    public YamlEventWriter Null() => Raw("null");

    public YamlEventWriter Raw(string plain) => Emit(new Scalar(null, null, plain, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    public YamlEventWriter BeginMap() => Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));

    public YamlEventWriter EndMap() => Emit(new MappingEnd());

    public YamlEventWriter BeginList() => Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));

    public YamlEventWriter EndList() => Emit(new SequenceEnd());

    public override string ToString()
    {
        _emitter.Emit(new DocumentEnd(isImplicit: true));
        _emitter.Emit(new StreamEnd());
        return _text.ToString();
    }

    private YamlEventWriter Emit(ParsingEvent e)
    {
        _emitter.Emit(e);
        return this;
    }
}
