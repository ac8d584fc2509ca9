using Floe.Avro;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Fuzz.Targets;

/// <summary>Avro object container files: the generic decoder over every block, then the manifest list and manifest readers.</summary>
internal sealed class AvroTarget : FuzzTarget
{
    private const string Location = "mem://fuzz.avro";

    public override string Name => "avro";

    public override string Description => "AvroContainerReader + AvroGenericReader, ManifestListReader, ManifestReader (manifests and manifest lists)";

    public override string[] Dictionary => new[] { "Obj\u0001", "avro.schema", "avro.codec", "deflate", "zstandard", "null", "\"record\"", "\"union\"", "partition-spec", "format-version" };

    public override void Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        Expect(() =>
        {
            var reader = new AvroContainerReader(bytes, Location);
            var records = 0;
            while (reader.ReadBlock())
            {
                for (var i = 0; i < reader.BlockCount && records < 100_000; i++, records++)
                {
                    AvroGenericReader.Read(reader.Decoder, reader.Schema);
                }
            }
        });
        var io = new MemoryFileIO(Location, bytes);
        Expect(() => ManifestListReader.Read(io, Location));
        Expect(() =>
        {
            ManifestReader.ReadMetadata(io, Location);
            var manifest = new ManifestFile { ManifestPath = Location, ManifestLength = bytes.Length };
            foreach (var _ in ManifestReader.Read(io, manifest, SpecFor, null))
            {
            }
        });
    }

    private static PartitionSpec SpecFor(int id) => PartitionSpec.Unpartitioned;

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var files = SeedTable.Get();
        yield return ("manifest-list.avro", files.ManifestList);
        yield return ("manifest.avro", files.Manifest);
    }
}
