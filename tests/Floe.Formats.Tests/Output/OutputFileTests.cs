using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Arrow;
using Floe.Core.Io;
using Floe.Formats.Features;
using Floe.Formats.Output;
using Floe.Parquet;

namespace Floe.Formats.Tests.Output;

/// <summary>
/// Outputs are new files, not truncated old ones (ext4 flushes a truncated-and-rewritten file when it is closed).
/// A second hard link to the old file shows which happened: a replaced file leaves the link's bytes alone, a
/// truncated one changes them too.
/// </summary>
public sealed partial class OutputFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-out-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);

    private string HardLinked(string path, string content)
    {
        File.WriteAllText(path, content);
        var other = path + ".other";
        Assert.That(Link(path, other), Is.Zero, $"link failed, errno {Marshal.GetLastPInvokeError()}");
        return other;
    }

    private static void WriteAll(string path, string content)
    {
        using var stream = OutputFile.Create(path);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(content));
    }

    [Test]
    public void Create_NoFileYet_CreatesIt()
    {
        var path = Path.Combine(_dir, "new.bin");
        WriteAll(path, "fresh");
        Assert.That(File.ReadAllText(path), Is.EqualTo("fresh"));
    }

    [Test]
    public void Create_OverALongerFile_LeavesOnlyTheNewBytes()
    {
        var path = Path.Combine(_dir, "long.bin");
        File.WriteAllBytes(path, new byte[1 << 20]);
        WriteAll(path, "short");
        Assert.That(File.ReadAllText(path), Is.EqualTo("short"));
    }

    [Test]
    public void Create_OverAnEarlierFile_ReplacesIt_ItsOtherHardLinkKeepsTheOldBytes()
    {
        var path = Path.Combine(_dir, "out.bin");
        var other = HardLinked(path, "earlier output");
        WriteAll(path, "new");
        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        Assert.That(File.ReadAllText(other), Is.EqualTo("earlier output"), "the earlier file was truncated and rewritten, not replaced");
    }

    [Test]
    public void Create_ThroughASymbolicLink_WritesTheLinkedFileAndKeepsTheLink()
    {
        var target = Path.Combine(_dir, "target.bin");
        File.WriteAllText(target, "earlier output, longer than the new");
        var link = Path.Combine(_dir, "link.bin");
        File.CreateSymbolicLink(link, target);
        WriteAll(link, "new");
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target));
        Assert.That(File.ReadAllText(target), Is.EqualTo("new"));
    }

    [Test]
    public void Create_AFileAnotherWriterHolds_FailsAsATruncatingOpenDoes_AndLeavesIt()
    {
        var path = Path.Combine(_dir, "held.bin");
        File.WriteAllText(path, "held");
        using (var held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.That(() => File.Create(path).Dispose(), Throws.InstanceOf<IOException>(), "the premise: a truncating open fails");
            Assert.That(() => OutputFile.Create(path), Throws.InstanceOf<IOException>());
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo("held"));
    }

    [Test]
    public void Create_AFolderOfThatName_FailsAsATruncatingOpenDoes()
    {
        var path = Path.Combine(_dir, "folder");
        Directory.CreateDirectory(path);
        Assert.That(() => OutputFile.Create(path), Throws.InstanceOf<UnauthorizedAccessException>().Or.InstanceOf<IOException>());
        Assert.That(Directory.Exists(path), Is.True);
    }

    [Test]
    public void ParquetSink_OverAnEarlierOutput_ReplacesIt_ItsOtherHardLinkKeepsTheOldBytes()
    {
        var path = Path.Combine(_dir, "scan.parquet");
        var other = HardLinked(path, "earlier output");
        var schema = new Schema([new Field("x", Int64Type.Default, false, [new(ArrowSchemas.FieldIdKey, "1")])], null);
        using (var sink = new ParquetSink(path))
        {
            sink.Begin(ArrowSchemas.FromArrow(schema));
            sink.Write(new RecordBatch(schema, [new Int64Array.Builder().AppendRange([1, 2, 3]).Build()], 3));
            sink.Complete();
        }
        Assert.That(File.ReadAllText(other), Is.EqualTo("earlier output"));
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path);
        Assert.That(reader.RecordCount, Is.EqualTo(3));
    }

    [TestCase("features.parquet")]
    [TestCase("features.csv")]
    public void FeatureFileSink_OverAnEarlierOutput_ReplacesIt_ItsOtherHardLinkKeepsTheOldBytes(string name)
    {
        var path = Path.Combine(_dir, name);
        var other = HardLinked(path, "earlier output");
        var schema = new Schema([new Field("x", Int64Type.Default, false, [new(ArrowSchemas.FieldIdKey, "1")])], null);
        using (var sink = FeatureFileSink.Open(path, schema))
        {
            sink.WriteDay(new DateOnly(2024, 1, 1), new RecordBatch(schema, [new Int64Array.Builder().AppendRange([7, 8]).Build()], 2));
            sink.Complete();
        }
        Assert.That(File.ReadAllText(other), Is.EqualTo("earlier output"));
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(0));
        Assert.That(File.ReadAllText(path), Does.Not.Contain("earlier output"));
    }
}
