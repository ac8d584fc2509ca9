using Floe.Core.Errors;
using Floe.Iceberg.Puffin;
using Floe.Iceberg.Tests.Spec;
using NUnit.Framework;
using Floe.Tests.Shared;

namespace Floe.Iceberg.Tests.Puffin;

/// <summary>Deletion-vector blobs round-trip through the portable Roaring format and refuse damage; the fixture's Puffin footer parses.</summary>
[TestFixture]
public sealed class DeletionVectorTests
{
    [TestCase(0, 1L)]
    [TestCase(1, 5000L)]
    [TestCase(2, 70000L)]
    [TestCase(3, 5_000_000_000L)]
    public void EncodeDecode_RandomPositions_ReturnsTheSameSet(int seed, long range)
    {
        var random = new Random(seed);
        var model = new HashSet<long>();
        // Dense enough in one 65536 window to need a bitmap container, sparse elsewhere, and across a 2^32 boundary for the widest range.
        var count = range < 10 ? 1 : 6000;
        for (var i = 0; i < count; i++) model.Add(range < 10 ? 0 : random.NextInt64(range));
        if (range > uint.MaxValue) { model.Add(uint.MaxValue); model.Add((long)uint.MaxValue + 1); }
        var decoded = DeletionVector.Decode(DeletionVector.Encode(model), "x.puffin");
        Assert.That(decoded.SetEquals(model), Is.True, $"{decoded.Count} decoded, {model.Count} written");
    }

    [Test]
    public void Decode_FlippedBitmapByte_FailsOnCrcNamingTheFile()
    {
        var blob = DeletionVector.Encode(new long[] { 1, 2, 3 });
        blob[^6] ^= 0x40;
        var error = Assert.Throws<FloeException>(() => DeletionVector.Decode(blob, "bad.puffin"));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("bad.puffin"));
    }

    [Test]
    public void ReadFooter_MultiBlobFixture_ListsTwoDeletionVectorsThatDecodeToOneRowEach()
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", "duckdb-v3-multi-blob-dv"));
        var content = File.ReadAllBytes(Path.Combine(root, "data", "multiple-deletion-vectors.puffin"));
        var blobs = PuffinReader.ReadFooter(content, "multiple-deletion-vectors.puffin");
        Assert.That(blobs, Has.Count.EqualTo(2));
        foreach (var blob in blobs)
        {
            Assert.That(blob.Type, Is.EqualTo(DeletionVector.BlobType));
            var positions = DeletionVector.Decode(content.AsSpan((int)blob.Offset, (int)blob.Length), "f");
            Assert.That(positions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(blob.Properties["cardinality"]));
        }
    }

    [Test]
    public void ReadFooter_TruncatedFile_FailsNamingTheFile()
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", "duckdb-v3-multi-blob-dv"));
        var content = File.ReadAllBytes(Path.Combine(root, "data", "multiple-deletion-vectors.puffin"));
        var error = Assert.Throws<FloeException>(() => PuffinReader.ReadFooter(content.AsSpan(0, content.Length - 3), "cut.puffin"));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("cut.puffin"));
    }
}
