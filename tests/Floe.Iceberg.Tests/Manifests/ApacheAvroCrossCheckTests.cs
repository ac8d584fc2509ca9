using Avro.File;
using Avro.Generic;
using Floe.Core.Io;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Manifests;

/// <summary>Apache.Avro (the reference C# implementation, JIT, tests only) reads the files our writers produce.</summary>
[TestFixture]
public sealed class ApacheAvroCrossCheckTests
{
    private string _dir = null!;
    private LocalFileIO _io = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-avro-xcheck-" + Guid.NewGuid().ToString("N"));
        _io = new LocalFileIO(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void ApacheAvro_ReadsOurManifestAndList_WithFieldIds(int version)
    {
        // Apache.Avro rejects the uuid logical type on fixed(16), which the Iceberg spec (and Avro 1.12) use, so the
        // identity(uuid) partition field is left out here; everything else of the random spec stays.
        var uuidPosition = RandomManifestData.Spec.Fields.ToList().FindIndex(f => RandomManifestData.ResultType(f).Id == TypeId.Uuid);
        var spec = new PartitionSpec(4, RandomManifestData.Spec.Fields.Where((_, i) => i != uuidPosition).ToList());
        var rnd = new Random(version);
        var files = Enumerable.Range(0, 25)
            .Select(i => RandomManifestData.File(rnd, i, FileContent.Data))
            .Select(f => f with { Partition = new PartitionData(f.Partition.Values.Where((_, i) => i != uuidPosition).ToArray()) })
            .ToList();
        ManifestFile manifest;
        using (var writer = new ManifestWriter(_io, "metadata/x-m0.avro", spec, RandomManifestData.Schema, version, 11, ManifestContent.Data, "{}", "[]"))
        {
            foreach (var file in files) writer.Add(file);
            manifest = writer.Close();
        }
        using (var list = new ManifestListWriter(_io, "metadata/snap-11-1-x.avro", version, 11, 10, 4))
        {
            list.Add(manifest);
            list.Close();
        }

        using (var reader = DataFileReader<GenericRecord>.OpenReader(Path.Combine(_dir, "metadata/x-m0.avro")))
        {
            var schema = (global::Avro.RecordSchema)reader.GetSchema();
            Assert.That(schema.Fields.Select(f => f.GetProperty("field-id")), Is.EqualTo(version == 1 ? new[] { "0", "1", "2" } : new[] { "0", "1", "3", "4", "2" }));
            var dataFile = (global::Avro.RecordSchema)schema["data_file"].Schema;
            Assert.That(dataFile["file_path"].GetProperty("field-id"), Is.EqualTo("100"));
            var partition = (global::Avro.RecordSchema)dataFile["partition"].Schema;
            Assert.That(partition.Fields.Select(f => f.GetProperty("field-id")), Is.EqualTo(spec.Fields.Select(f => f.FieldId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            var splitOffsets = (global::Avro.ArraySchema)((global::Avro.UnionSchema)dataFile["split_offsets"].Schema).Schemas[1];
            Assert.That(splitOffsets.GetProperty("element-id"), Is.EqualTo("133"));
            Assert.That(reader.GetMetaString("format-version"), Is.EqualTo(version.ToString(System.Globalization.CultureInfo.InvariantCulture)));

            var records = reader.NextEntries.ToList();
            Assert.That(records, Has.Count.EqualTo(files.Count));
            for (var i = 0; i < files.Count; i++)
            {
                var df = (GenericRecord)records[i]["data_file"];
                Assert.That(records[i]["status"], Is.EqualTo(1));
                Assert.That(records[i]["snapshot_id"], Is.EqualTo(11L));
                Assert.That(df["file_path"], Is.EqualTo(files[i].FilePath));
                Assert.That(df["record_count"], Is.EqualTo(files[i].RecordCount));
                if (files[i].LowerBounds is { } lower)
                {
                    var pairs = ((object[])df["lower_bounds"]).Cast<GenericRecord>().ToDictionary(r => (int)r["key"], r => (byte[])r["value"]);
                    Assert.That(pairs, Is.EqualTo(lower));
                }
                var p = (GenericRecord)df["partition"];
                Assert.That(p.GetValue(1), Is.EqualTo(files[i].Partition[1]), "identity(int) partition value");
            }
        }

        using (var reader = DataFileReader<GenericRecord>.OpenReader(Path.Combine(_dir, "metadata/snap-11-1-x.avro")))
        {
            var schema = (global::Avro.RecordSchema)reader.GetSchema();
            Assert.That(schema["manifest_path"].GetProperty("field-id"), Is.EqualTo("500"));
            Assert.That(schema["partitions"].GetProperty("field-id"), Is.EqualTo("507"));
            var record = reader.NextEntries.Single();
            Assert.That(record["manifest_path"], Is.EqualTo("metadata/x-m0.avro"));
            Assert.That(record["manifest_length"], Is.EqualTo(manifest.ManifestLength));
            if (version >= 2)
            {
                Assert.That(record["sequence_number"], Is.EqualTo(4L));
                Assert.That(record["added_files_count"], Is.EqualTo(25));
            }
            else
            {
                Assert.That(record["added_data_files_count"], Is.EqualTo(25));
            }
            Assert.That(((object[])record["partitions"]).Length, Is.EqualTo(spec.Fields.Count));
        }
    }
}
