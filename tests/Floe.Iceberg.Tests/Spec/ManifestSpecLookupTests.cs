using NUnit.Framework;
using Floe.Core.Errors;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tests.Spec;

/// <summary>
/// A manifest list entry names its manifest's partition spec by id; a damaged list can name one the table lacks,
/// and the error must then name the files a user would look at, not only the id.
/// </summary>
[TestFixture]
public sealed class ManifestSpecLookupTests
{
    [Test]
    public void SpecOf_KnownId_IsThatSpec()
    {
        var metadata = RandomMetadata.Generate(new Random(3), 2);
        var spec = metadata.PartitionSpecs[^1];
        var manifest = new ManifestFile { ManifestPath = "/w/t/metadata/m1.avro", PartitionSpecId = spec.SpecId };

        Assert.That(metadata.SpecOf(manifest, "/w/t/metadata/snap-1.avro"), Is.SameAs(spec));
    }

    [Test]
    public void SpecOf_UnknownId_InvalidDataNamingTheListAndTheManifest()
    {
        var metadata = RandomMetadata.Generate(new Random(3), 2);
        var manifest = new ManifestFile { ManifestPath = "/w/t/metadata/m1.avro", PartitionSpecId = -58 };

        var e = Assert.Throws<FloeException>(() => metadata.SpecOf(manifest, "/w/t/metadata/snap-1.avro"))!;

        Assert.That(e.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(e.Message, Is.EqualTo("/w/t/metadata/snap-1.avro: manifest /w/t/metadata/m1.avro names partition spec -58, which is not in the table metadata"));
    }
}
