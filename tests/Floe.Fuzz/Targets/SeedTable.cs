using Apache.Arrow;

using Floe.Application.Ingest;
using Floe.Application.Tables;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Fuzz.Targets;

/// <summary>
/// Generates the binary seeds: a small partitioned table written by Floe itself (its metadata JSON, manifest list,
/// manifest and data file) and a Parquet file with struct, list and map columns. Nothing is copied from fixtures.
/// </summary>
internal static class SeedTable
{
    private static readonly Lazy<Files> Generated = new(Generate);

    /// <summary>The generated files.</summary>
    public static Files Get() => Generated.Value;

    internal sealed record Files(byte[] MetadataJson, byte[] ManifestList, byte[] Manifest, byte[] DataFile, byte[] NestedParquet);

    private static Files Generate()
    {
        var dir = Path.Combine(Path.GetTempPath(), "floe-fuzz-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            var warehouse = new Warehouse(Path.Combine(dir, "wh"));
            var tables = new TableService(warehouse);
            tables.Create("fz.t", "id:long not null,name:string,amount:decimal(10,2),ts:timestamptz,ok:boolean,score:double", "day(ts),bucket(4,id)");
            var csv = Path.Combine(dir, "in.csv");
            File.WriteAllText(csv, "id,name,amount,ts,ok,score\n1,a,1.50,2024-01-01T00:00:00Z,true,0.5\n2,,-3.25,2024-01-02T10:00:00Z,false,\n3,c,,2024-01-02T11:00:00Z,,NaN\n");
            new IngestService(warehouse).Ingest("fz.t", csv, new IngestOptions());
            var table = warehouse.LoadTable(TableIdentifier.Parse("fz.t"));
            var io = new LocalFileIO();
            var snapshot = table.Metadata.CurrentSnapshot!;
            var manifests = Floe.Iceberg.Manifests.ManifestListReader.Read(io, snapshot.ManifestList);
            var manifest = manifests[0];
            var entry = Floe.Iceberg.Manifests.ManifestReader.Read(io, manifest, table.Metadata.SpecById, table.Schema).First();
            return new Files(
                ReadAll(io, table.MetadataLocation),
                ReadAll(io, snapshot.ManifestList),
                ReadAll(io, manifest.ManifestPath),
                ReadAll(io, entry.DataFile.FilePath),
                NestedParquet(Path.Combine(dir, "nested.parquet")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[] ReadAll(IFileIO io, string location)
    {
        using var stream = io.OpenRead(location);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] NestedParquet(string path)
    {
        var schema = new Schema(0, new[]
        {
            new NestedField(1, "id", true, PrimitiveType.Long),
            new NestedField(2, "s", false, new StructType(new[] { new NestedField(5, "a", false, PrimitiveType.Int), new NestedField(6, "b", false, PrimitiveType.String) })),
            new NestedField(3, "l", false, new ListType(7, false, PrimitiveType.Long)),
            new NestedField(4, "m", false, new MapType(8, PrimitiveType.String, 9, false, PrimitiveType.Int)),
        });
        var ids = new Int64Array.Builder().AppendRange(new long[] { 1, 2, 3 }).Build();
        var a = new Int32Array.Builder().Append(10).AppendNull().Append(30).Build();
        var b = new StringArray.Builder().Append("x").Append("y").AppendNull().Build();
        var structType = (Apache.Arrow.Types.StructType)ArrowSchemas.ToArrowType(schema.Fields[1].Type);
        var s = new StructArray(structType, 3, new IArrowArray[] { a, b }, new ArrowBuffer.BitmapBuilder().Append(true).Append(true).Append(false).Build(), 1);
        var listBuilder = new ListArray.Builder(ArrowSchemas.ToArrowField(schema.Fields[2]).DataType is Apache.Arrow.Types.ListType lt ? lt.ValueField : throw new InvalidOperationException());
        var values = (Int64Array.Builder)listBuilder.ValueBuilder;
        listBuilder.Append();
        values.Append(1).AppendNull().Append(3);
        listBuilder.Append();
        listBuilder.AppendNull();
        var l = listBuilder.Build();
        var mapType = (Apache.Arrow.Types.MapType)ArrowSchemas.ToArrowType(schema.Fields[3].Type);
        var mapBuilder = new MapArray.Builder(mapType);
        var keys = (StringArray.Builder)mapBuilder.KeyBuilder;
        var items = (Int32Array.Builder)mapBuilder.ValueBuilder;
        mapBuilder.Append();
        keys.Append("k1");
        items.Append(1);
        keys.Append("k2");
        items.AppendNull();
        mapBuilder.AppendNull();
        mapBuilder.Append();
        var m = mapBuilder.Build();
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, schema, SchemaParser.ToJson(schema)))
        {
            using var batch = new RecordBatch(ArrowSchemas.ToArrow(schema), new IArrowArray[] { ids, s, l, m }, 3);
            writer.Write(batch);
            writer.Close();
        }
        return File.ReadAllBytes(path);
    }
}
