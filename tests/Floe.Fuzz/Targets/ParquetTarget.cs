using Floe.Parquet;

namespace Floe.Fuzz.Targets;

/// <summary>Parquet files: footer (Thrift), schema inference, then every page of every row group into Arrow, and the file check.</summary>
internal sealed class ParquetTarget : FuzzTarget
{
    private const string Location = "mem://fuzz.parquet";

    public override string Name => "parquet";

    public override string Description => "ParquetDataReader.Open + ReadAll (footer, schema, pages, levels, dictionaries, codecs)";

    public override string[] Dictionary => new[] { "PAR1", "iceberg.schema", "\u0015\u0000", "\u0015\u0002", "\u0019\u001c", "\u00ff\u00ff\u00ff\u007f" };

    public override void Run(ReadOnlySpan<byte> input)
    {
        var io = new MemoryFileIO(Location, input.ToArray());
        Expect(() =>
        {
            using var reader = ParquetDataReader.Open(io, Location);
            long rows = 0;
            foreach (var (batch, _) in reader.ReadAll())
            {
                rows += batch.Length;
                batch.Dispose();
            }
        });
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var files = SeedTable.Get();
        yield return ("flat.parquet", files.DataFile);
        yield return ("nested.parquet", files.NestedParquet);
    }
}
