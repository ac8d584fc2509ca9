using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions.Updates;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.V3;

/// <summary><c>upgrade-format-version</c> in the REST vocabulary: written, read back and applied as the server would.</summary>
[TestFixture]
public sealed class UpgradeCommitJsonTests
{
    [Test]
    public void UpgradeFormatVersion_JsonRoundTrip_AppliesAsTheSameUpgrade()
    {
        using var t = new TestTables();
        var table = t.CreateEvents();
        var commit = new TableCommit([new AssertTableUuid(table.Metadata.TableUuid)], [new UpgradeFormatVersion(3)]);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) commit.WriteJson(w, TableIdentifier.Parse("demo.events"), 2);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var update = doc.RootElement.GetProperty("updates")[0];
        Assert.That(update.GetProperty("action").GetString(), Is.EqualTo("upgrade-format-version"));
        Assert.That(update.GetProperty("format-version").GetInt32(), Is.EqualTo(3));

        var read = TableCommitJson.Read(doc.RootElement, 2, "request");
        var upgraded = read.Apply(table.Metadata, "demo.events", 1);
        Assert.That((upgraded.FormatVersion, upgraded.NextRowId), Is.EqualTo((3, (long?)0)));
        var down = TableCommitJson.Read(JsonDocument.Parse("{\"updates\":[{\"action\":\"upgrade-format-version\",\"format-version\":1}]}").RootElement, 2, "request");
        Assert.That(Assert.Throws<FloeException>(() => down.Apply(table.Metadata, "demo.events", 1))!.Message, Does.Contain("downgrade"));
    }
}
