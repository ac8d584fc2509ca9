using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Parquet.Thrift;
using NUnit.Framework;

namespace Floe.Parquet.Tests;


/// <summary>
/// Hostile Parquet footers: each is refused with InvalidData naming the file, and none may hang (the timeout turns a
/// hang into a failure instead of a blocked run: a looping decoder never observes a token, so each read runs on its
/// own thread and the test stops waiting when [CancelAfter] fires). The AFL inputs that made Parquet.Net's footer decoder loop forever
/// are replayed from the fuzz corpus; the rest are built here, byte by byte.
/// </summary>
[TestFixture]
public sealed class ParquetFooterTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-footer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<string> HangInputs(string pattern = "regression-footer-hang-*.parquet")
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var corpus = Path.Combine(dir.FullName, "tests", "Floe.Fuzz", "corpora", "parquet");
            if (Directory.Exists(corpus)) return Directory.GetFiles(corpus, pattern).Order(StringComparer.Ordinal);
        }
        return Array.Empty<string>();
    }

    [Test]
    [CancelAfter(60_000)]
    public void AflFooterHangs_FinishWithInvalidDataNamingTheFile()
    {
        var inputs = HangInputs().ToList();
        Assert.That(inputs, Has.Count.GreaterThanOrEqualTo(2), "the fuzz corpus's footer-hang regression inputs");
        foreach (var input in inputs)
        {
            var path = Path.Combine(_dir, Path.GetFileName(input));
            System.IO.File.Copy(input, path);
            var ex = Assert.Throws<FloeException>(() => ReadAll(path), input);
            Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidData), input);
            Assert.That(ex.Message, Does.StartWith(path).And.Contain("corrupt Parquet (footer"), input);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void AflPageHeaderHang_FinishesWithInvalidDataNamingTheFile()
    {
        // A later AFL run: a mistyped field in a data page header sent Parquet.Net's page decoder into the same loop.
        var input = HangInputs("regression-page-header-hang.parquet").Single();
        var path = Path.Combine(_dir, Path.GetFileName(input));
        System.IO.File.Copy(input, path);
        var ex = Assert.Throws<FloeException>(() => ReadAll(path));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.StartWith(path + ": corrupt Parquet (row group 0: "));
    }

    // Fuzz-corpus inputs (tests/Floe.Fuzz/corpora/parquet), each the seed file with one or two count or size fields
    // raised: the readers sized arrays by those fields before any page backed them, so a 1 KB file cost gigabytes and
    // seconds before its refusal, or an OutOfMemoryException (not an error naming the file). The branch fuzzhang's
    // search for stop 35's fuzz_short hang found them (bench/RESULTS.md, "Fuzz hang hunt").
    [TestCase("regression-row-count-unbacked.parquet", "column 'id' has 1 values in a row group of 1073741824 rows")]
    [TestCase("regression-rows-past-pages.parquet", "pages hold 1 values, the row group has 1073741824")]
    [TestCase("regression-page-size-overflow.parquet", "column 'id': a page of 17 bytes claims 2147483647 bytes uncompressed, more than ZSTD makes of it")]
    [TestCase("regression-page-count-past-chunk.parquet", "column 'b': a page of 268435456 values runs past the chunk's 3")]
    [TestCase("regression-dictionary-count-unbacked.parquet", "column 'b': dictionary page declares 268435456 values but holds 10 bytes")]
    [TestCase("regression-read-past-chunk-eof.parquet", "a column chunk's pages end before its values do")]
    [TestCase("regression-brotli-page-size.parquet", "column 'id': a page of 17 bytes claims 2147483647 bytes uncompressed, more than BROTLI makes of it")]
    [CancelAfter(60_000)]
    public void UnbackedCountOrSize_IsRefusedBeforeAnythingIsSizedByIt(string name, string problem)
    {
        var input = HangInputs(name).Single();
        var path = Path.Combine(_dir, name);
        System.IO.File.Copy(input, path);
        var ex = Assert.Throws<FloeException>(() => ReadAll(path));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.StartWith(path + ": corrupt Parquet (").And.Contain(problem));
    }

    [Test]
    [CancelAfter(60_000)]
    public void CorruptPage_ParquetNetNeverReadsPastItsChunk()
    {
        // The dictionary-count input with one byte of column 's.a''s zstd page changed: Parquet.Net, counting the values
        // it decoded rather than the page headers Floe checked, read on past the chunk into column 's.b''s dictionary
        // page (268,435,456 entries in 10 bytes) and sized its dictionary by it: 4 GiB or an OutOfMemoryException. Read
        // on this thread so that everything Parquet.Net allocates is counted; the file is 1.4 KB.
        var input = HangInputs("regression-read-past-chunk.parquet").Single();
        var path = Path.Combine(_dir, "regression-read-past-chunk.parquet");
        System.IO.File.Copy(input, path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<FloeException>(() => ReadAllNow(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.StartWith(path + ": corrupt Parquet (row group 0: "));
        Assert.That(allocated, Is.LessThan(64L << 20), "bytes allocated reading a 1.4 KB file");
    }

    [Test]
    [CancelAfter(30_000)]
    public void MistypedKnownField_IsRefusedBeforeAnyDecoderMisreadsIt()
    {
        // A SchemaElement whose physical type (field 1, an i32) arrives as a bool: decoders that read known fields by
        // their expected type take the next field header as the value and lose their place.
        var footer = Footer(w =>
        {
            Root(w, 1);
            w.BeginStruct();
            w.FieldBool(1, true);
            w.FieldI32(3, 1);
            w.FieldString(4, "a");
            w.EndStruct();
        }, rows: 0, rowGroups: 0);
        var ex = Refused(footer);
        Assert.That(ex.Message, Does.Contain("SchemaElement field 1 has thrift type bool where i32 belongs"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void HugeListCount_IsRefusedWithoutAllocatingIt()
    {
        var bytes = new List<byte> { 0x29, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00 }; // field 2: list<struct> of int.MaxValue
        var ex = Refused(File(bytes.ToArray()));
        Assert.That(ex.Message, Does.Contain("longer than its buffer"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void DeeplyNestedUnknownField_HitsTheDepthLimit()
    {
        // Field 100 of FileMetaData (unknown) holding structs nested 100,000 deep: skipping must not recurse without bound.
        const int depth = 100_000;
        var bytes = new byte[3 + depth * 2 + 1];
        var p = 0;
        bytes[p++] = 0x0C; // struct, long-form field id
        bytes[p++] = 0xC8; // zigzag(100) = 200 as a varint
        bytes[p++] = 0x01;
        for (var i = 0; i < depth - 1; i++) bytes[p++] = 0x1C; // field 1: struct
        while (p < bytes.Length) bytes[p++] = 0x00;
        var ex = Refused(File(bytes));
        Assert.That(ex.Message, Does.Contain("nested deeper than"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void SchemaNestedTooDeep_IsRefusedBeforeTheTreeIsBuilt()
    {
        const int groups = 5_000;
        var footer = Footer(w =>
        {
            Root(w, 1);
            for (var i = 0; i < groups; i++)
            {
                w.BeginStruct();
                w.FieldI32(3, 1);
                w.FieldString(4, "g" + i);
                w.FieldI32(5, 1);
                w.EndStruct();
            }
            Leaf(w, "x");
        }, rows: 0, rowGroups: 0, schemaCount: groups + 2);
        var ex = Refused(footer);
        Assert.That(ex.Message, Does.Contain("nests groups deeper than"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void ChildCountPastTheList_IsRefused()
    {
        var footer = Footer(w =>
        {
            Root(w, 3);
            Leaf(w, "x");
        }, rows: 0, rowGroups: 0, schemaCount: 2);
        var ex = Refused(footer);
        Assert.That(ex.Message, Does.Contain("claims 3 children"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void ColumnChunkOutsideTheData_IsRefused()
    {
        var footer = Footer(w =>
        {
            Root(w, 1);
            Leaf(w, "x");
        }, rows: 1, rowGroups: 1, rowGroup: w =>
        {
            w.BeginStruct();
            w.FieldListOfStruct(1, 1);
            w.BeginStruct();
            w.FieldI64(2, 4);
            w.FieldStruct(3);
            w.FieldI32(1, 1);
            w.FieldListOfI32(2, new[] { 0 });
            w.FieldListOfString(3, new[] { "x" });
            w.FieldI32(4, 0);
            w.FieldI64(5, 1);
            w.FieldI64(6, 1_000_000);
            w.FieldI64(7, 1_000_000);
            w.FieldI64(9, 4);
            w.EndStruct();
            w.EndStruct();
            w.FieldI64(2, 1_000_000);
            w.FieldI64(3, 1);
            w.EndStruct();
        });
        var ex = Refused(footer);
        Assert.That(ex.Message, Does.Contain("outside the file's data"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void ColumnChunkCountUnlikeTheLeaves_IsRefused()
    {
        var footer = Footer(w =>
        {
            Root(w, 1);
            Leaf(w, "x");
        }, rows: 0, rowGroups: 1, rowGroup: w =>
        {
            w.BeginStruct();
            w.FieldListOfStruct(1, 0);
            w.FieldI64(2, 0);
            w.FieldI64(3, 0);
            w.EndStruct();
        });
        var ex = Refused(footer);
        Assert.That(ex.Message, Does.Contain("0 column chunks for 1 leaf columns"));
    }

    [Test]
    public void ForeignFooters_DecodeAndReEncodeStably()
    {
        var files = ParquetFixtures.DataFiles().ToList();
        Assert.That(files, Is.Not.Empty);
        foreach (var file in files)
        {
            var bytes = System.IO.File.ReadAllBytes(file);
            var length = BitConverter.ToInt32(bytes, bytes.Length - 8);
            var decoded = FooterReader.Read(bytes.AsSpan(bytes.Length - 8 - length, length));
            var once = FooterEncoder.Encode(decoded);
            var again = FooterReader.Read(once);
            Assert.That(FooterEncoder.Encode(again), Is.EqualTo(once), file);
            Assert.That(again.Schema.Select(e => (e.Name, e.Type, e.FieldId, e.NumChildren)), Is.EqualTo(decoded.Schema.Select(e => (e.Name, e.Type, e.FieldId, e.NumChildren))), file);
            Assert.That(again.RowGroups.Select(g => g.NumRows), Is.EqualTo(decoded.RowGroups.Select(g => g.NumRows)), file);
        }
    }

    private FloeException Refused(byte[] file)
    {
        var path = Path.Combine(_dir, "hostile.parquet");
        System.IO.File.WriteAllBytes(path, file);
        var ex = Assert.Throws<FloeException>(() => ReadAll(path));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.StartWith(path + ": corrupt Parquet ("));
        Assert.That(ex.Message, Does.Not.Contain("Exception").And.Not.Contain("System."));
        return ex;
    }

    private static void ReadAll(string path)
    {
        var read = Task.Factory.StartNew(() => ReadAllNow(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            read.Wait(TestContext.CurrentContext.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"reading {path} did not finish (hang)");
        }
        catch (AggregateException)
        {
            // Rethrown below as the original exception.
        }
        read.GetAwaiter().GetResult();
    }

    private static void ReadAllNow(string path)
    {
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path);
        foreach (var (batch, _) in reader.ReadAll()) batch.Dispose();
    }

    private static void Root(ThriftCompactWriter w, int children)
    {
        w.BeginStruct();
        w.FieldString(4, "root");
        w.FieldI32(5, children);
        w.EndStruct();
    }

    private static void Leaf(ThriftCompactWriter w, string name)
    {
        w.BeginStruct();
        w.FieldI32(1, 1); // INT32
        w.FieldI32(3, 1); // OPTIONAL
        w.FieldString(4, name);
        w.EndStruct();
    }

    /// <summary>A whole file: magic, a FileMetaData with the given schema elements and row groups, length, magic.</summary>
    private static byte[] Footer(Action<ThriftCompactWriter> schema, long rows, int rowGroups, int schemaCount = 2, Action<ThriftCompactWriter>? rowGroup = null)
    {
        var w = new ThriftCompactWriter();
        w.BeginStruct();
        w.FieldI32(1, 1);
        w.FieldListOfStruct(2, schemaCount);
        schema(w);
        w.FieldI64(3, rows);
        w.FieldListOfStruct(4, rowGroups);
        for (var i = 0; i < rowGroups; i++) rowGroup!(w);
        w.EndStruct();
        return File(w.WrittenSpan.ToArray());
    }

    /// <summary>Magic, <paramref name="footer"/>, its length, magic.</summary>
    private static byte[] File(byte[] footer)
    {
        var file = new byte[4 + footer.Length + 8];
        "PAR1"u8.CopyTo(file);
        footer.CopyTo(file, 4);
        BitConverter.TryWriteBytes(file.AsSpan(4 + footer.Length), footer.Length);
        "PAR1"u8.CopyTo(file.AsSpan(8 + footer.Length));
        return file;
    }
}
