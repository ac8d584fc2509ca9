using System.Text;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Features.Expressions;

namespace Floe.Features.Tests.Fuzz;

/// <summary>
/// Seeded mutation runs over the parsers that read outside input here: feature definitions (JSON and YAML) and
/// feature expressions. Each mutant (bytes flipped, inserted, deleted, spliced from another seed) must either parse
/// or fail with a FloeException naming the problem — never another exception type, never a hang or a crash.
/// Not coverage-guided: a quick net in every test run for the class of bug a fuzzer finds.
/// </summary>
public sealed class ParserMutationTests
{
    private static readonly string[] DefinitionSeeds =
    [
        """{"name": "g", "version": 1, "entity": ["e", "k"], "timestamp": "t", "source": {"table": "a.b"}, "output": {"table": "f.g"}, "filter": "x > 0 and s != 'a'", "features": [{"name": "c", "agg": "count", "window": "1h"}, {"name": "s", "agg": "sum", "column": "x * 2", "window": "7d"}, {"name": "l", "agg": "last_n", "n": 3, "column": "x", "window": "1d"}, {"name": "r", "expr": "case when c > 0 then s / c else null end"}]}""",
        "name: g\nversion: 1\nentity: [e]\ntimestamp: t\nsource:\n  files:\n    - a.csv\n    - \"b c.csv\"\nfeatures:\n  - {name: c, agg: count, window: 1h}\n  - name: m\n    agg: max\n    column: x\n    window: 2d\n  - {name: q, expr: \"coalesce(m, 0) + abs(-1.5e3)\"}\n",
    ];

    private static readonly string[] ExpressionSeeds =
    [
        "case when a > 1 and not (b <= 2.5 or c is null) then coalesce(d, 0) * -3 else abs(e) / 2 end",
        "x in (1, 2, 3) or s = 'it''s' or t between 1 and 10",
        "((((a + b) * (c - d)) / nullif(e, 0)) % 7)",
    ];

    private static string Mutate(Random random, string text, string[] seeds)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(text));
        int edits = random.Next(1, 6);
        for (int i = 0; i < edits; i++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.Insert(at, (byte)"{}[]()\"',:-\n #\\0\u00e9"[random.Next(17)]); break;
                case 2 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 3:
                    var other = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]);
                    int from = random.Next(other.Length), length = random.Next(Math.Min(40, other.Length - from) + 1);
                    bytes.InsertRange(at, other.Skip(from).Take(length));
                    break;
                default:
                    if (bytes.Count > 2) bytes.RemoveRange(at, Math.Min(random.Next(1, 20), bytes.Count - at));
                    break;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [Test]
    public void FeatureDefinitions_MutantsParseOrFailWithANamedError([Values(0, 1)] int seedIndex)
    {
        var random = new Random(1000 + seedIndex);
        var format = seedIndex == 0 ? DefinitionFormat.Json : DefinitionFormat.Yaml;
        for (int round = 0; round < 3000; round++)
        {
            var text = Mutate(random, DefinitionSeeds[seedIndex], DefinitionSeeds);
            try
            {
                FeatureGroupParser.Parse(text, format, "mutant");
            }
            catch (FloeException e)
            {
                Assert.That(e.Message, Does.StartWith("mutant"), $"round {round}: {text}");
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\n{text}");
            }
        }
    }

    [Test]
    public void Expressions_MutantsParseOrFailWithANamedError()
    {
        var random = new Random(77);
        for (int round = 0; round < 5000; round++)
        {
            var text = Mutate(random, ExpressionSeeds[round % ExpressionSeeds.Length], ExpressionSeeds);
            try
            {
                ExpressionParser.Parse(text);
            }
            catch (ExpressionException e)
            {
                Assert.That(e.Message, Is.Not.Empty.And.Not.Contains("Exception"), $"round {round}: {text}");
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\n{text}");
            }
        }
    }
}
