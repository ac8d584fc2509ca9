using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Puffin;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Puffin;

/// <summary>Puffin files Floe writes: the footer lists each blob where it is, and damage is a clear error naming the file.</summary>
[TestFixture]
public sealed class PuffinWriterTests
{
    private static byte[] TwoVectors(out long[][] written)
    {
        written = [[0, 7, 70_000], [3, 5_000_000_000]];
        var writer = new PuffinWriter("Floe test");
        foreach (var (positions, i) in written.Select((p, i) => (p, i)))
        {
            writer.Add(DeletionVector.BlobType, [2147483645], DeletionVector.Encode(positions),
                new Dictionary<string, string> { ["referenced-data-file"] = $"data-{i}.parquet", ["cardinality"] = positions.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        return writer.Finish();
    }

    [Test]
    public void Finish_TwoDeletionVectors_ReadBackThroughTheFooter()
    {
        var content = TwoVectors(out var written);

        var blobs = PuffinReader.ReadFooter(content, "t.puffin");

        Assert.That(blobs, Has.Count.EqualTo(2));
        for (var i = 0; i < 2; i++)
        {
            Assert.That(blobs[i].Type, Is.EqualTo("deletion-vector-v1"));
            Assert.That(blobs[i].CompressionCodec, Is.Null);
            Assert.That(blobs[i].Properties["referenced-data-file"], Is.EqualTo($"data-{i}.parquet"));
            var decoded = DeletionVector.Decode(content.AsSpan((int)blobs[i].Offset, (int)blobs[i].Length), "t.puffin");
            Assert.That(decoded.Order(), Is.EqualTo(written[i]));
        }
        Assert.That(blobs[0].Offset, Is.EqualTo(4), "blobs follow the leading magic");
        Assert.That(blobs[1].Offset, Is.EqualTo(blobs[0].Offset + blobs[0].Length));
        // The footer JSON carries what the spec lists per blob (fields, snapshot id and sequence number -1 for DVs).
        var footerSize = BitConverter.ToInt32(content, content.Length - 12);
        using var footer = JsonDocument.Parse(content.AsMemory(content.Length - 12 - footerSize, footerSize));
        var first = footer.RootElement.GetProperty("blobs")[0];
        Assert.That(first.GetProperty("fields")[0].GetInt32(), Is.EqualTo(2147483645));
        Assert.That(first.GetProperty("snapshot-id").GetInt64(), Is.EqualTo(-1));
        Assert.That(first.GetProperty("sequence-number").GetInt64(), Is.EqualTo(-1));
        Assert.That(footer.RootElement.GetProperty("properties").GetProperty("created-by").GetString(), Is.EqualTo("Floe test"));
    }

    [Test]
    public void ReadFooter_TruncatedFile_IsInvalidDataNamingTheFile()
    {
        var content = TwoVectors(out _);

        var error = Assert.Throws<FloeException>(() => PuffinReader.ReadFooter(content.AsSpan(0, content.Length - 3), "dv-7.puffin"));

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("dv-7.puffin"));
    }

    [Test]
    public void Decode_FlippedBlobByte_IsInvalidDataNamingTheFile()
    {
        var content = TwoVectors(out _);
        var blob = PuffinReader.ReadFooter(content, "t.puffin")[1];
        content[blob.Offset + 10] ^= 0x40;

        var error = Assert.Throws<FloeException>(() => DeletionVector.Decode(content.AsSpan((int)blob.Offset, (int)blob.Length), "dv-8.puffin"));

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("dv-8.puffin"));
    }
}
