using System.Text;
using Floe.Features.Definitions;

namespace Floe.Fuzz.Targets;

/// <summary>Feature group definitions in JSON or YAML (files given to <c>floe features</c> and the C ABI).</summary>
internal sealed class DefinitionTarget : FuzzTarget
{
    private readonly DefinitionFormat _format;

    public DefinitionTarget(DefinitionFormat format) => _format = format;

    public override string Name => _format == DefinitionFormat.Json ? "definition-json" : "definition-yaml";

    public override string Description => $"FeatureGroupParser.Parse ({_format}): structure, windows, aggregates, embedded expressions";

    public override string[] Dictionary => new[]
    {
        "name", "version", "entity", "timestamp", "source", "features", "agg", "window", "column", "expr", "filter", "n", "table", "files",
        "count", "sum", "last_n", "avg", "1h", "7d", "-1d", "0s", "99999999d", "{", "}", "[", "]", ":", "- ", "\n  ", "&a", "*a", "!!str", "'", "\"", "~",
    };

    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        Expect(() => FeatureGroupParser.Parse(text, _format, "fuzz"));
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        if (_format == DefinitionFormat.Json)
        {
            yield return ("group.json", Encoding.UTF8.GetBytes(
                """{"name": "g", "version": 1, "entity": ["e", "k"], "timestamp": "t", "source": {"table": "a.b"}, "output": {"table": "f.g"}, "filter": "x > 0 and s != 'a'", "features": [{"name": "c", "agg": "count", "window": "1h"}, {"name": "s", "agg": "sum", "column": "x * 2", "window": "7d"}, {"name": "l", "agg": "last_n", "n": 3, "column": "x", "window": "1d"}, {"name": "r", "expr": "case when c > 0 then s / c else null end"}]}"""));
        }
        else
        {
            yield return ("group.yaml", Encoding.UTF8.GetBytes(
                "name: g\nversion: 1\nentity: [e]\ntimestamp: t\nsource:\n  files:\n    - a.csv\n    - \"b c.csv\"\nfeatures:\n  - {name: c, agg: count, window: 1h}\n  - name: m\n    agg: max\n    column: x\n    window: 2d\n  - {name: q, expr: \"coalesce(m, 0) + abs(-1.5e3)\"}\n"));
        }
    }
}
