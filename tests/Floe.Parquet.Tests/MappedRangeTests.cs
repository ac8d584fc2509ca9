using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Parquet.Reading;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet.Tests;

/// <summary>
/// Row groups decoded from a local file's mapped pages (<see cref="MappedRange"/>) against the same file read through
/// a stream that is not a file (chunks read into arrays), and the mapping's own bounds.
/// </summary>
[TestFixture]
public sealed class MappedRangeTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-mapped-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ReadRowGroup_MappedFileAndStreamedCopy_GiveTheSameColumns([Values(ParquetCodec.Zstd, ParquetCodec.Snappy, ParquetCodec.Uncompressed)] ParquetCodec codec)
    {
        // Several row groups, so the mapped ranges start at other offsets than the file's first data page, and
        // columns of every flat type the flat reader decodes (nulls included).
        var path = Path.Combine(_dir, "all.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{}", new ParquetWriterOptions { Codec = codec, RowGroupRows = 6 }))
        {
            using var batch = WriterTestSchemas.AllTypesBatch();
            for (var i = 0; i < 5; i++) writer.Write(batch);
            writer.Close();
        }
        using var mapped = ParquetDataReader.Open(new LocalFileIO(), path, WriterTestSchemas.AllTypes);
        using var streamed = ParquetDataReader.Open(new CopyingFileIO(), path, WriterTestSchemas.AllTypes);
        Assert.That(mapped.RowGroupCount, Is.EqualTo(4));
        for (var g = 0; g < mapped.RowGroupCount; g++)
        {
            var a = mapped.ReadRowGroup(g).Batch;
            var b = streamed.ReadRowGroup(g).Batch;
            Assert.That(a.Length, Is.EqualTo(b.Length), $"row group {g}");
            for (var c = 0; c < a.ColumnCount; c++)
            {
                Assert.That(ParquetDataReaderTests.Render(a.Column(c)), Is.EqualTo(ParquetDataReaderTests.Render(b.Column(c))),
                    $"row group {g}, column {WriterTestSchemas.AllTypes.Fields[c].Name}");
            }
        }
    }

    [Test]
    public void ReadRowGroup_LargeDoubleAndLongColumns_MappedEqualsStreamed()
    {
        // Single-page chunks large enough to be decompressed straight into the output arrays (the feature job's
        // input), in two row groups.
        var schema = new Schema(0, [new NestedField(1, "id", true, PrimitiveType.Long), new NestedField(2, "x", true, PrimitiveType.Double)]);
        var path = Path.Combine(_dir, "wide.parquet");
        const int rows = 300_000;
        var ids = new long[rows];
        var xs = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            ids[i] = (i * 2_654_435_761L) % 1_000_003;
            xs[i] = Math.Round(i * 0.37 % 911, 2);
        }
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, schema, "{}", new ParquetWriterOptions { RowGroupRows = 200_000 }))
        {
            var arrow = Floe.Core.Arrow.ArrowSchemas.ToArrow(schema);
            var batch = new Apache.Arrow.RecordBatch(arrow,
                [new Apache.Arrow.Int64Array.Builder().AppendRange(ids).Build(), new Apache.Arrow.DoubleArray.Builder().AppendRange(xs).Build()], rows);
            writer.Write(batch);
            writer.Close();
        }
        using var mapped = ParquetDataReader.Open(new LocalFileIO(), path, schema);
        using var streamed = ParquetDataReader.Open(new CopyingFileIO(), path, schema);
        int at = 0;
        for (var g = 0; g < mapped.RowGroupCount; g++)
        {
            var a = mapped.ReadRowGroup(g).Batch;
            var b = streamed.ReadRowGroup(g).Batch;
            var ai = (Apache.Arrow.Int64Array)a.Column(0);
            var ax = (Apache.Arrow.DoubleArray)a.Column(1);
            Assert.That(ai.Values.SequenceEqual(((Apache.Arrow.Int64Array)b.Column(0)).Values), Is.True, $"ids, row group {g}");
            Assert.That(ax.Values.SequenceEqual(((Apache.Arrow.DoubleArray)b.Column(1)).Values), Is.True, $"x, row group {g}");
            Assert.That(ai.Values.SequenceEqual(ids.AsSpan(at, a.Length)), Is.True, $"ids against the written values, row group {g}");
            at += a.Length;
        }
        Assert.That(at, Is.EqualTo(rows));
    }

    [Test]
    public void TryMap_SlicesAreTheFilesBytes()
    {
        var path = Path.Combine(_dir, "bytes.bin");
        var bytes = new byte[3 * 4096 + 123];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 31 + 7);
        File.WriteAllBytes(path, bytes);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        // An unaligned start: the view begins at a page boundary below it.
        using var range = MappedRange.TryMap(stream, 5000, 7000);
        Assert.That(range, Is.Not.Null);
        Assert.That(range!.Slice(5000, 7000).ToArray(), Is.EqualTo(bytes[5000..12000]));
        Assert.That(range.Slice(11_990, 10).ToArray(), Is.EqualTo(bytes[11_990..12_000]));
        Assert.Throws<ArgumentOutOfRangeException>(() => range.Slice(4999, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => range.Slice(11_991, 10));
    }

    [Test]
    public void TryMap_RangesOutsideTheFileOrNotAFile_AreLeftToTheStream()
    {
        var path = Path.Combine(_dir, "short.bin");
        File.WriteAllBytes(path, new byte[10_000]);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        Assert.Multiple(() =>
        {
            // Past the end (a footer that claims more than the file holds): mapping it would fault on the missing pages.
            Assert.That(MappedRange.TryMap(stream, 9_000, 1_001), Is.Null);
            Assert.That(MappedRange.TryMap(stream, 20_000, 10), Is.Null);
            Assert.That(MappedRange.TryMap(stream, -1, 10), Is.Null);
            Assert.That(MappedRange.TryMap(stream, 0, 0), Is.Null);
            Assert.That(MappedRange.TryMap(new MemoryStream(new byte[100]), 0, 10), Is.Null);
        });
        using var whole = MappedRange.TryMap(stream, 0, 10_000);
        Assert.That(whole, Is.Not.Null);
    }

    [Test]
    public void Open_ChunkClaimedPastTheEndOfTheFile_FailsBeforeAnythingIsMapped()
    {
        // The footer kept, the data pages before it cut: the chunks' offsets now run past the file's data. The footer
        // check refuses the file at Open, so a mapped range never covers bytes the file does not have.
        var good = Path.Combine(_dir, "good.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), good, WriterTestSchemas.AllTypes, "{}", new ParquetWriterOptions { Codec = ParquetCodec.Uncompressed }))
        {
            using var batch = WriterTestSchemas.AllTypesBatch();
            for (var i = 0; i < 200; i++) writer.Write(batch);
            writer.Close();
        }
        var bytes = File.ReadAllBytes(good);
        int footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8) + 8;
        int cut = (bytes.Length - footerLength) / 2;
        var cutShort = Path.Combine(_dir, "cut.parquet");
        File.WriteAllBytes(cutShort, [.. bytes[..4], .. bytes[(4 + cut)..]]);
        var e = Assert.Throws<Floe.Core.Errors.FloeException>(() => ParquetDataReader.Open(new LocalFileIO(), cutShort, WriterTestSchemas.AllTypes).Dispose());
        Assert.That(e!.Code, Is.EqualTo(Floe.Core.Errors.FloeErrorCode.InvalidData));
    }

    /// <summary>Local files handed out as in-memory copies: the reader gets a stream that is no file, so it reads chunks into arrays.</summary>
    private sealed class CopyingFileIO : IFileIO
    {
        private readonly LocalFileIO _local = new();

        public Stream OpenRead(string location) => new MemoryStream(File.ReadAllBytes(location));

        public Stream Create(string location) => _local.Create(location);

        public void WriteAtomic(string location, ReadOnlySpan<byte> content) => _local.WriteAtomic(location, content);

        public bool Exists(string location) => _local.Exists(location);

        public long GetLength(string location) => _local.GetLength(location);

        public void Delete(string location) => _local.Delete(location);

        public IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix) => _local.List(prefix);
    }
}
