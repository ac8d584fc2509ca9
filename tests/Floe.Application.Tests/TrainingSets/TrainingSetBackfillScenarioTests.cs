using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Floe.Application.Backfill;
using Floe.Application.Tables;
using Floe.Application.Tests.Backfill;
using Floe.Application.TrainingSets;
using Floe.Core.Io;
using Floe.Parquet;
using NUnit.Framework;

namespace Floe.Application.Tests.TrainingSets;

/// <summary>
/// The seed's scenario end to end: backfill with logic v1 and tag it, build a training set; fix the logic (v2) and
/// backfill again; a training set built at the tag or as of the v1 time is byte-for-byte the first one.
/// </summary>
[TestFixture]
public sealed class TrainingSetBackfillScenarioTests
{
    [Test]
    public void Backfill_V1ThenV2_TrainingSetAtV1TagOrTimeIsByteIdentical()
    {
        using var f = new BackfillFixture(rows: 4_000, days: 5);
        var v1 = f.Run(0, 5);
        var table = v1.Table;
        new RefService(f.W.Warehouse).CreateTag(table, "v1");
        var random = new Random(61);
        var spineText = new StringBuilder("entity_id,ts,label\n");
        for (var i = 0; i < 1500; i++)
        {
            var ts = BackfillFixture.Day0.AddMinutes(random.Next(-600, 6 * 1440)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "Z";
            spineText.Append(CultureInfo.InvariantCulture, $"{random.Next(0, 100)},{ts},{random.Next(0, 2)}\n");
        }
        var spine = f.W.WriteFile("spine.csv", spineText.ToString());
        var service = new TrainingSetService(f.W.Warehouse);
        TrainingSetRequest Request(string output, string definition) => new()
        {
            SpinePath = spine,
            Features = [FeatureSelection.Parse(definition)],
            OutputPath = Path.Combine(f.W.Directory, output),
            MaxAgeMicros = TrainingSetRequest.ParseMaxAge("2d"),
        };
        var first = service.Build(Request("v1.parquet", f.Definition));
        Assert.That(first.Groups[0].SnapshotId, Is.EqualTo(v1.SnapshotId));
        Assert.That(first.Groups[0].Matched, Is.GreaterThan(500));

        // v2 fixes the logic (a filter change), same group and table, and backfills the same days again.
        Thread.Sleep(5);
        var v2Definition = f.W.WriteFile("def-v2.json", BackfillFixture.Json.Replace("\"amount > 0\"", "\"amount > 50\"", StringComparison.Ordinal));
        var v2 = f.Run(0, 5, r => r with { DefinitionPath = v2Definition });
        Assert.That(v2.SnapshotId, Is.Not.EqualTo(v1.SnapshotId));

        var atTag = service.Build(Request("tag.parquet", f.Definition) with { Tag = "v1" });
        var v1Time = f.W.Tables.Load(table).Metadata.SnapshotById(v1.SnapshotId)!.TimestampMs;
        service.Build(Request("asof.parquet", f.Definition) with { AsOf = DateTimeOffset.FromUnixTimeMilliseconds(v1Time).ToString("O", CultureInfo.InvariantCulture) });
        service.Build(Request("current.parquet", v2Definition));

        var expected = File.ReadAllBytes(Path.Combine(f.W.Directory, "v1.parquet"));
        Assert.That(File.ReadAllBytes(Path.Combine(f.W.Directory, "tag.parquet")), Is.EqualTo(expected));
        Assert.That(File.ReadAllBytes(Path.Combine(f.W.Directory, "asof.parquet")), Is.EqualTo(expected));
        Assert.That(File.ReadAllBytes(Path.Combine(f.W.Directory, "current.parquet")), Is.Not.EqualTo(expected));
        Assert.That(atTag.Groups[0].SnapshotId, Is.EqualTo(v1.SnapshotId));

        // The footer's definition hash is the one the backfill recorded for the snapshot it read.
        using var reader = ParquetDataReader.Open(new LocalFileIO(), Path.Combine(f.W.Directory, "v1.parquet"));
        var group = JsonNode.Parse(reader.KeyValueMetadata[TrainingSetLineage.Key])!["groups"]![0]!;
        Assert.That((long)group["snapshot_id"]!, Is.EqualTo(v1.SnapshotId));
        Assert.That((string?)group["definition_sha256"], Is.EqualTo(v1.Lineage[LineageKeys.DefinitionSha256]));
        Assert.That((string?)group["table"], Is.EqualTo(table));
    }
}
