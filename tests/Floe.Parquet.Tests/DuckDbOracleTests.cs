using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet.Tests;

/// <summary>
/// The DuckDB oracle keeps one database a thread across queries: a file rewritten at the same path must still be read
/// anew, even one of the same length and modification time (what a cached copy of its bytes would not notice).
/// </summary>
[TestFixture]
public sealed class DuckDbOracleTests
{
    private static readonly Schema OneLong = new(0, new[] { new NestedField(1, "l", true, PrimitiveType.Long) });

    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-duckoracle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Query_FileRewrittenAtTheSamePath_ReadsTheNewRows()
    {
        var path = Path.Combine(_dir, "t.parquet");
        var sql = $"SELECT count(*) AS n, sum(l)::BIGINT AS s FROM read_parquet({DuckDb.Quote(path)})";
        Write(path, 0);
        var written = File.GetLastWriteTimeUtc(path);
        var length = new FileInfo(path).Length;
        var first = DuckDb.Query(sql)[0];
        Write(path, 1_000_000);
        File.SetLastWriteTimeUtc(path, written);
        Assert.That(new FileInfo(path).Length, Is.EqualTo(length), "the test needs a rewrite of the same length");
        var second = DuckDb.Query(sql)[0];
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToInt64(first["s"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(49_995_000L));
            Assert.That(Convert.ToInt64(second["n"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(10_000L));
            Assert.That(Convert.ToInt64(second["s"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(10_049_995_000L));
        });
    }

    /// <summary>10,000 rows from <paramref name="from"/>, uncompressed and plain, so both files have the same length.</summary>
    private static void Write(string path, long from)
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (long?)(from + i)).ToArray();
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, OneLong, "{}",
            new ParquetWriterOptions { Codec = ParquetCodec.Uncompressed, DictionaryPageBytes = 0 });
        using (var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(OneLong), new[] { ArrowTestData.Primitive<long>(Int64Type.Default, values) }, values.Length))
        {
            writer.Write(batch);
        }
        writer.Close();
    }
}
