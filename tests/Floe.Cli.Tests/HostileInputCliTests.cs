using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary>Hostile inputs through the real binary: one-line errors with the documented exit codes, nothing left behind.</summary>
[TestFixture]
[Category("Integration")]
public sealed class HostileInputCliTests
{
    private string _dir = "";
    private string _warehouse = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-cli-hostile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _warehouse = Path.Combine(_dir, "wh");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private FloeProcess.Result Floe(params string[] args) => FloeProcess.Run(_warehouse, args);

    private static void AssertOneLineError(FloeProcess.Result r, int exitCode, string contains)
    {
        Assert.That(r.ExitCode, Is.EqualTo(exitCode), r.Stderr);
        Assert.That(r.Stderr.Trim(), Does.Contain(contains));
        Assert.That(r.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), r.Stderr);
        Assert.That(r.Stderr, Does.Not.Contain("Exception"));
    }

    [TestCase("--rows", "-1")]
    [TestCase("--days", "0")]
    [TestCase("--entities", "0")]
    [TestCase("--entities", "-5")]
    public void Generate_BadSetting_FailsWithExit2AndNoFile(string option, string value)
    {
        var csv = Path.Combine(_dir, "events.csv");
        var args = option == "--rows" ? new[] { "generate", "events", option, value, "--output", csv } : new[] { "generate", "events", "--rows", "10", option, value, "--output", csv };
        AssertOneLineError(Floe(args), 2, option);
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void ScanFilter_DecimalColumnAndDeepNesting()
    {
        var csv = Path.Combine(_dir, "p.csv");
        File.WriteAllText(csv, "id,price\n1,49.99\n2,50.00\n3,75.10\n");
        Arrange.Table(_warehouse, "demo.p", "id:long not null,price:decimal(10,2)");
        Arrange.Ingest(_warehouse, "demo.p", csv);
        var r = Floe("scan", "demo.p", "--filter", "price < 50");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stdout.Trim().Split('\n').Select(l => l.Trim()), Is.EqualTo(new[] { "id,price", "1,49.99" }));
        var deep = new string('(', 60_000) + "price < 50" + new string(')', 60_000);
        AssertOneLineError(Floe("scan", "demo.p", "--filter", deep), 2, "nested deeper than");
    }

    [Test]
    public void TableCreate_TrailingCommaOrFormatVersion1_IsRefused()
    {
        AssertOneLineError(Floe("table", "create", "demo.t", "--schema", "a:int,"), 2, "empty");
        AssertOneLineError(Floe("table", "create", "demo.t", "--schema", "a:int", "--property", "format-version=1"), 8, "format-version");
        Assert.That(Floe("table", "list").Stdout, Does.Not.Contain("demo.t"));
    }

    [Test]
    public void Ingest_InvalidUtf8Value_FailsWithExit5NamingLineAndColumn()
    {
        var csv = Path.Combine(_dir, "bad.csv");
        File.WriteAllBytes(csv, "id,name\n1,ok\n2,"u8.ToArray().Concat(new byte[] { 0xFF, 0xFE, 0xC3 }).Concat("\n"u8.ToArray()).ToArray());
        Arrange.Table(_warehouse, "demo.s", "id:long,name:string");
        AssertOneLineError(Floe("ingest", "demo.s", csv), 5, "line 3, column 'name': value is not valid UTF-8");
        Assert.That(Floe("scan", "demo.s", "--count").Stdout.Trim(), Is.EqualTo("0"));
    }

    [Test]
    [CancelAfter(300_000)]
    public void Parquet_FooterThatHungTheDecoder_IsAClearErrorForIngestAndScan()
    {
        // An AFL input (fuzz corpus) on which Parquet.Net's footer decoder looped forever; FloeProcess kills a hung
        // process after 120 s, so a regression fails instead of blocking.
        var hang = CorpusFile("parquet", "regression-footer-hang-mistyped-field.parquet");
        var input = Path.Combine(_dir, "hostile.parquet");
        File.Copy(hang, input);
        Arrange.Table(_warehouse, "demo.h", "id:long,name:string");
        AssertOneLineError(Floe("ingest", "demo.h", input), 5, input + ": corrupt Parquet (footer SchemaElement field 1");
        Assert.That(Floe("scan", "demo.h", "--count").Stdout.Trim(), Is.EqualTo("0"));

        var csv = Path.Combine(_dir, "h.csv");
        File.WriteAllText(csv, "id,name\n1,a\n");
        Arrange.Ingest(_warehouse, "demo.h", csv);
        var data = Directory.GetFiles(Path.Combine(_warehouse, "demo", "h", "data"), "*.parquet", SearchOption.AllDirectories).Single();
        File.Copy(hang, data, overwrite: true);
        AssertOneLineError(Floe("scan", "demo.h"), 5, "corrupt Parquet (footer");
        var check = Floe("table", "check", "demo.h");
        Assert.That(check.ExitCode, Is.EqualTo(5), check.Stdout + check.Stderr);
        Assert.That(check.Stdout, Does.Contain(Path.GetFileName(data)));
    }

    [Test]
    public void Register_TextFileAsMetadata_NamesTheFileNotItsContent()
    {
        var text = Path.Combine(_dir, "zebra.metadata.json");
        File.WriteAllText(text, "zebra,1\n");
        var r = Floe("table", "register", "demo.z", text);
        AssertOneLineError(r, 5, text + ": not valid JSON (line 1, byte 1");
        Assert.That(r.Stderr, Does.Not.Contain("'z'").And.Not.Contain("LineNumber"));
    }

    private static string CorpusFile(string target, string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "Floe.Fuzz", "corpora", target, name);
            if (File.Exists(path)) return path;
        }
        Assert.Fail($"fuzz corpus file {target}/{name} not found");
        return "";
    }
}
