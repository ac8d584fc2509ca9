using Floe.Core.Io;
using Floe.Parquet;
using Floe.Parquet.Reading;
using NUnit.Framework;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

[TestFixture]
public sealed class FallbackChunkReaderTests
{
    [TestCase(ParquetCodec.Zstd)]
    [TestCase(ParquetCodec.Snappy)]
    [TestCase(ParquetCodec.Gzip)]
    [TestCase(ParquetCodec.Uncompressed)]
    public void Read_OwnFileEveryColumn_DecodesLevelsAndValues(ParquetCodec codec)
    {
        var path = Path.Combine(Path.GetTempPath(), "floe-fb-" + Guid.NewGuid().ToString("N") + ".parquet");
        try
        {
            using (var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{}", new ParquetWriterOptions { Codec = codec }))
            {
                using var batch = WriterTestSchemas.AllTypesBatch();
                writer.Write(batch);
                writer.Close();
            }
            using var stream = File.OpenRead(path);
            var reader = global::Parquet.ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
            var metadata = reader.Metadata!;
            FileSchemaNode.Build(metadata.Schema, out var leaves);
            Assert.That(leaves, Has.Count.EqualTo(17));
            for (var i = 0; i < leaves.Count; i++)
            {
                var chunk = FallbackChunkReader.Read(stream, leaves[i], metadata.RowGroups[0].Columns[i]);
                var optional = leaves[i].IsOptional;
                Assert.That(chunk.ValueCount, Is.EqualTo(optional ? 3 : 4), leaves[i].Name);
                if (optional) Assert.That(chunk.Def, Is.EqualTo(new[] { 1, 1, 0, 1 }), leaves[i].Name);
            }
            var strings = FallbackChunkReader.Read(stream, leaves[13], metadata.RowGroups[0].Columns[13]);
            var decoded = strings.Values.Take(3).Select(v => System.Text.Encoding.UTF8.GetString(((ReadOnlyMemory<byte>)v).Span));
            Assert.That(decoded, Is.EqualTo(new[] { "hello", "abcdefghijklmnopqrstuvwxyz", "émoji 🎉" }));
            var booleans = FallbackChunkReader.Read(stream, leaves[1], metadata.RowGroups[0].Columns[1]);
            Assert.That(booleans.Values.Take(3), Is.EqualTo(new object[] { true, false, true }));
            var longs = FallbackChunkReader.Read(stream, leaves[3], metadata.RowGroups[0].Columns[3]);
            Assert.That(longs.Values.Take(3), Is.EqualTo(new object[] { long.MinValue, 0L, long.MaxValue }));
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
