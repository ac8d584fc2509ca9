using NUnit.Framework;
using Floe.Features;
using System.Globalization;
using System.Text;
using Floe.Core.Errors;
using Floe.Application.Features;
using Floe.Features.Computation;
using Floe.Formats.Events;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Application.Tests.Features;

public sealed class FeatureGroupRangeTests
{
    [Test]
    public void RequiredRange_BoundedWindows_StartsLongestWindowEarlier()
    {
        var def = Floe.Features.Definitions.FeatureGroupParser.Parse(
            """{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "features": [{"name": "a", "agg": "count", "window": "1h"}, {"name": "b", "agg": "count", "window": "30d"}]}""",
            Floe.Features.Definitions.DefinitionFormat.Json);
        var from = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var (start, end) = FeatureGroup.RequiredRange(def, from, from.AddDays(1));
        Assert.That(start, Is.EqualTo(from.AddDays(-30)));
        Assert.That(end, Is.EqualTo(from.AddDays(1)));
    }

    [Test]
    public void RequiredRange_UnboundedWindow_HasNoStart()
    {
        var def = Floe.Features.Definitions.FeatureGroupParser.Parse(
            """{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "features": [{"name": "a", "agg": "count", "window": "unbounded"}]}""",
            Floe.Features.Definitions.DefinitionFormat.Json);
        var from = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.That(FeatureGroup.RequiredRange(def, from, from.AddDays(1)).From, Is.Null);
    }

    [Test]
    public void Compute_InMemorySourceWithUnboundedWindow_SeesAllHistory()
    {
        var ev = TestEvents.Random(9, 400, 5, 10L * 86_400_000_000L, specials: false);
        var def = Floe.Features.Definitions.FeatureGroupParser.Parse(
            """{"name": "g", "version": 1, "entity": "entity_id", "timestamp": "event_time", "features": [{"name": "life", "agg": "count", "window": "unbounded"}, {"name": "s", "agg": "sum", "column": "qty", "window": "unbounded"}]}""",
            Floe.Features.Definitions.DefinitionFormat.Json);
        var source = InMemoryEventSource.FromBatches([ev.ToBatch()]);
        string dir = Path.Combine(Path.GetTempPath(), "floe-features-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var epoch = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
            var result = FeatureFiles.Compute(def, source, epoch.AddDays(5), epoch.AddDays(6), Path.Combine(dir, "o.csv"), 2);
            Assert.That(result.ReadFrom, Is.Null);
            var all = FeatureGroup.Compile(def, source.Schema).Compute(ev.ToBatch(), 1);
            var expected = new HashSet<string>();
            long lo = TestEvents.Epoch + 5 * 86_400_000_000L, hi = lo + 86_400_000_000L;
            for (int r = 0; r < all.Length; r++)
            {
                long t = (long)ResultComparer.Cell(all.Column(1), r)!;
                if (t >= lo && t < hi) { expected.Add($"{ResultComparer.Cell(all.Column(0), r)},{ResultComparer.Cell(all.Column(2), r)},{ResultComparer.Show(ResultComparer.Cell(all.Column(3), r))}"); }
            }
            var lines = File.ReadAllLines(Path.Combine(dir, "o.csv")).Skip(1).Select(l => l.Split(',')).Select(p => $"{p[0]},{p[2]},{(p[3].Length == 0 ? "null" : p[3])}").ToHashSet();
            Assert.That(lines, Is.EquivalentTo(expected));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
