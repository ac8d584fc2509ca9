using System.Text.Json;
using NUnit.Framework;

namespace Floe.Cli.Tests;

[TestFixture]
[Category("Integration")]
public sealed class CliTests
{
    private string _dir = "";
    private string _warehouse = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _warehouse = Path.Combine(_dir, "wh");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private FloeProcess.Result Floe(params string[] args) => FloeProcess.Run(_warehouse, args);

    private FloeProcess.Result Ok(params string[] args)
    {
        var r = Floe(args);
        Assert.That(r.ExitCode, Is.EqualTo(0), $"floe {string.Join(' ', args)} failed: {r.Stderr}");
        return r;
    }

    [Test]
    public void CreateIngestScan_JsonOutputs_DescribeTheTable()
    {
        var csv = Path.Combine(_dir, "e.csv");
        // The suite's one run of `floe generate events` to a file; other tests make their events in-process (Arrange).
        Ok("generate", "events", "--rows", "3000", "--days", "3", "--output", csv);
        Ok("table", "create", "demo.events", "--schema", "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string", "--partition", "day(event_time),bucket(4,entity_id)");
        var ingest = JsonDocument.Parse(Ok("--json", "ingest", "demo.events", csv, "--property", "floe.code-version=v1").Stdout).RootElement;

        Assert.That(ingest.GetProperty("rows").GetInt64(), Is.EqualTo(3000));
        Assert.That(ingest.GetProperty("summary").GetProperty("floe.code-version").GetString(), Is.EqualTo("v1"));
        Assert.That(Ok("scan", "demo.events", "--count").Stdout.Trim(), Is.EqualTo("3000"));
        var lines = Ok("scan", "demo.events", "--columns", "entity_id,amount", "--filter", "event_time < '2024-01-02T00:00:00Z'").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0].Trim(), Is.EqualTo("entity_id,amount"));
        Assert.That(lines.Length - 1, Is.EqualTo(1000));
        var show = JsonDocument.Parse(Ok("--json", "table", "show", "demo.events").Stdout).RootElement;
        Assert.That(show.GetProperty("current_snapshot_id").GetInt64(), Is.EqualTo(ingest.GetProperty("snapshot_id").GetInt64()));
        var snapshots = JsonDocument.Parse(Ok("--json", "snapshots", "demo.events").Stdout).RootElement;
        Assert.That(snapshots.GetArrayLength(), Is.EqualTo(1));
        Assert.That(Ok("table", "list").Stdout.Trim(), Is.EqualTo("demo.events"));
    }

    [Test]
    public void Scan_ParquetOutput_IsReadableAsInput()
    {
        var csv = Path.Combine(_dir, "e.csv");
        var parquet = Path.Combine(_dir, "out.parquet");
        Arrange.Events(csv, rows: 500);
        const string schema = "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string";
        Arrange.Table(_warehouse, "a.t", schema);
        Arrange.Ingest(_warehouse, "a.t", csv);
        Ok("scan", "a.t", "--format", "parquet", "--output", parquet);
        Arrange.Table(_warehouse, "a.copy", schema, "day(event_time)");
        Ok("ingest", "a.copy", parquet);

        Assert.That(Ok("scan", "a.copy", "--count").Stdout.Trim(), Is.EqualTo("500"));
        Assert.That(Sorted(Ok("scan", "a.copy", "--format", "json").Stdout), Is.EqualTo(Sorted(Ok("scan", "a.t", "--format", "json").Stdout)));
    }

    [Test]
    public void ScanAgg_TextAndJson_AgreeWithTheRowsScanned()
    {
        var csv = Path.Combine(_dir, "e.csv");
        Arrange.Events(csv, rows: 2000, days: 2);
        Arrange.Table(_warehouse, "a.t", "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string", "day(event_time)");
        Arrange.Ingest(_warehouse, "a.t", csv);
        const string filter = "entity_id < 500";
        // The oracle: the rows themselves, as the plain scan prints them.
        var rows = Ok("scan", "a.t", "--columns", "entity_id,event_time,amount", "--filter", filter).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Trim().Split(',')).ToList();
        var amounts = rows.Where(r => r[2].Length > 0).Select(r => double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var text = Ok("scan", "a.t", "--agg", "count(*), sum(entity_id), min(event_time), max(amount), count(amount)", "--filter", filter).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(text[0].Trim(), Is.EqualTo("count(*),sum(entity_id),min(event_time),max(amount),count(amount)"));
        var values = text[1].Trim().Split(',');
        Assert.That(values[0], Is.EqualTo(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(long.Parse(values[1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(rows.Sum(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(values[2], Is.EqualTo(rows.Select(r => r[1]).Min(StringComparer.Ordinal)));
        Assert.That(double.Parse(values[3], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(amounts.Max()));
        Assert.That(values[4], Is.EqualTo(amounts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var json = JsonDocument.Parse(Ok("--json", "scan", "a.t", "--agg", "count(*),min(amount),max(event_time)").Stdout).RootElement;
        var aggregates = json.GetProperty("aggregates");
        Assert.That(aggregates[0].GetProperty("name").GetString(), Is.EqualTo("count(*)"));
        Assert.That(aggregates[0].GetProperty("value").GetInt64(), Is.EqualTo(2000));
        Assert.That(aggregates[1].GetProperty("type").GetString(), Is.EqualTo("double"));
        Assert.That(aggregates[2].GetProperty("value").GetString(), Does.StartWith("2024-01-0").And.EndWith("Z"));
        // Unfiltered count and min/max: every file answers from its manifest entry, no value is decoded.
        Assert.That(json.GetProperty("files_from_statistics").GetInt32(), Is.EqualTo(json.GetProperty("data_files").GetInt32()));
        Assert.That(json.GetProperty("row_groups_decoded").GetInt32(), Is.Zero);

        var combined = Floe("scan", "a.t", "--agg", "count(*)", "--count");
        Assert.That(combined.ExitCode, Is.EqualTo(2));
        Assert.That(combined.Stderr, Does.Contain("--agg cannot be combined"));
        var unknown = Floe("scan", "a.t", "--agg", "median(amount)");
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.Stderr, Does.Contain("median"));
    }

    private static List<string> Sorted(string lines) => lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderBy(l => l, StringComparer.Ordinal).ToList();

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return new TestCaseData(new[] { "table", "show", "no.such" }, 3, "table 'no.such' does not exist").SetName("Show_UnknownTable_Exit3");
        yield return new TestCaseData(new[] { "table", "create", "x.y", "--schema", "a:nope" }, 2, "unknown type 'nope'").SetName("Create_BadType_Exit2");
        yield return new TestCaseData(new[] { "table", "create", "x.y", "--schema", "a:long", "--partition", "week(a)" }, 2, "week(a)").SetName("Create_UnknownTransform_Exit2");
        yield return new TestCaseData(new[] { "table", "create", "nodot", "--schema", "a:long" }, 2, "NAMESPACE.TABLE").SetName("Create_BadName_Exit2");
        yield return new TestCaseData(new[] { "ingest", "x.y", "/no/such/file.csv" }, 3, "does not exist").SetName("Ingest_UnknownTable_Exit3");
        yield return new TestCaseData(new[] { "table", "register", "x.y", "/no/such/v1.metadata.json" }, 3, "/no/such/v1.metadata.json").SetName("Register_MissingFile_Exit3");
    }

    [TestCaseSource(nameof(Errors))]
    public void Command_BadInput_PrintsOneLineOnStderrAndExitsNonZero(string[] args, int exitCode, string message)
    {
        Arrange.Table(_warehouse, "seed.t", "a:long");
        var r = Floe(args);
        Assert.That(r.ExitCode, Is.EqualTo(exitCode), r.Stderr);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), r.Stderr);
        Assert.That(lines[0], Does.StartWith("floe: error: ").And.Contain(message));
    }

    private static IEnumerable<TestCaseData> ArgumentErrors()
    {
        yield return new TestCaseData(new[] { "scan", "a.t", "--snapshot", "abc" }, "--snapshot: 'abc' is not an integer").SetName("Args_NonIntegerSnapshot");
        yield return new TestCaseData(new[] { "nosuch" }, "unknown command or argument 'nosuch'").SetName("Args_UnknownCommand");
        yield return new TestCaseData(new[] { "scan", "a.t", "--bogus" }, "unknown option '--bogus'").SetName("Args_UnknownOption");
        yield return new TestCaseData(new[] { "table", "create", "a.t" }, "--schema is required").SetName("Args_MissingRequiredOption");
        yield return new TestCaseData(new[] { "scan", "a.t", "--format", "xml" }, "--format: 'xml' is not one of csv, json, parquet").SetName("Args_ValueNotAmongChoices");
        yield return new TestCaseData(new[] { "table" }, "a command is required").SetName("Args_MissingSubcommand");
        yield return new TestCaseData(new[] { "ingest", "a.t" }, "missing FILE").SetName("Args_MissingArgument");
        yield return new TestCaseData(new[] { "scan", "a.t", "--as-of" }, "--as-of needs a value").SetName("Args_OptionWithoutValue");
        yield return new TestCaseData(new[] { "tabel", "list" }, "unknown command or argument 'tabel'").SetName("Args_MisspeltCommand");
    }

    [TestCaseSource(nameof(ArgumentErrors))]
    public void Command_BadArguments_OneLineExit2NoTypeNamesAndAHelpHint(string[] args, string message)
    {
        var r = Floe(args);

        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), r.Stderr);
        Assert.That(lines[0], Does.StartWith("floe: error: ").And.Contain(message).And.Contain("--help"));
        Assert.That(lines[0], Does.Not.Contain("System."));
        Assert.That(r.Stdout, Is.Empty);
        Assert.That(Directory.Exists(_warehouse), Is.False, "a rejected command line must not create the warehouse");
    }

    [Test]
    public void Json_EveryError_IsOneJsonObjectOnStderr()
    {
        var argument = Floe("--json", "scan", "a.t", "--snapshot", "abc");
        var notFound = Floe("--json", "table", "show", "a.t");

        Assert.That(argument.ExitCode, Is.EqualTo(2));
        var error = JsonDocument.Parse(argument.Stderr).RootElement.GetProperty("error");
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("invalid_argument"));
        Assert.That(error.GetProperty("message").GetString(), Does.StartWith("--snapshot: 'abc' is not an integer"));
        Assert.That(notFound.ExitCode, Is.EqualTo(3));
        var missing = JsonDocument.Parse(notFound.Stderr).RootElement.GetProperty("error");
        Assert.That(missing.GetProperty("code").GetString(), Is.EqualTo("not_found"));
        Assert.That(missing.GetProperty("message").GetString(), Does.Contain(_warehouse));
        Assert.That(argument.Stdout + notFound.Stdout, Is.Empty);
    }

    [TestCase("table", "list")]
    [TestCase("table", "show", "a.t")]
    [TestCase("scan", "a.t", "--count")]
    [TestCase("snapshots", "a.t")]
    [TestCase("branch", "list", "a.t")]
    public void ReadOnlyCommand_MissingWarehouse_IsNotFoundAndCreatesNothing(params string[] args)
    {
        var r = Floe(args);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stderr);
        Assert.That(r.Stderr, Does.StartWith("floe: error: warehouse '").And.Contain("does not exist"));
        Assert.That(Directory.Exists(_warehouse), Is.False);
    }

    [Test]
    public void TableCreate_MissingWarehouse_CreatesIt()
    {
        Ok("table", "create", "a.t", "--schema", "a:long");

        Assert.That(File.Exists(Path.Combine(_warehouse, "catalog.db")), Is.True);
        Assert.That(Ok("table", "list").Stdout.Trim(), Is.EqualTo("a.t"));
    }

    [Test]
    public void Ingest_CorruptMetadataFile_FailsNamingTheFileAndKeepsTable()
    {
        var csv = Path.Combine(_dir, "e.csv");
        Arrange.Events(csv, rows: 100);
        var meta = Arrange.Table(_warehouse, "a.t", "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string").MetadataLocation;
        var path = new Uri(meta).LocalPath;
        var original = File.ReadAllText(path);
        File.WriteAllText(path, original[..(original.Length / 2)]);

        var r = Floe("ingest", "a.t", csv);

        Assert.That(r.ExitCode, Is.EqualTo(5), r.Stderr);
        Assert.That(r.Stderr, Does.Contain(Path.GetFileName(path)));
        File.WriteAllText(path, original);
        Assert.That(Ok("scan", "a.t", "--count").Stdout.Trim(), Is.EqualTo("0"));
    }

    [Test]
    public void Delete_OldDays_RemovesThemInOneSnapshot()
    {
        var csv = Path.Combine(_dir, "e.csv");
        Arrange.Events(csv, rows: 700, days: 7);
        Arrange.Table(_warehouse, "a.t", "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string", "day(event_time)");
        Arrange.Ingest(_warehouse, "a.t", csv);

        var result = JsonDocument.Parse(Ok("--json", "delete", "a.t", "--filter", "event_time < '2024-01-03T00:00:00Z'").Stdout).RootElement;

        Assert.That(result.GetProperty("deleted_files").GetInt32(), Is.EqualTo(2));
        Assert.That(Ok("scan", "a.t", "--count").Stdout.Trim(), Is.EqualTo("500"));
        // A filter cutting through files removes exactly its rows (copy-on-write); the scan count agrees.
        var matching = long.Parse(Ok("scan", "a.t", "--filter", "amount > 100", "--count").Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var rows = JsonDocument.Parse(Ok("--json", "delete", "a.t", "--filter", "amount > 100").Stdout).RootElement;
        Assert.That(rows.GetProperty("deleted_rows").GetInt64(), Is.EqualTo(matching));
        Assert.That(Ok("scan", "a.t", "--filter", "amount > 100", "--count").Stdout.Trim(), Is.EqualTo("0"));
        Assert.That(Ok("scan", "a.t", "--count").Stdout.Trim(), Is.EqualTo((500 - matching).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Delete_MergeOnReadTable_WritesPositionDeletes_ScanAndCompactAgree()
    {
        var csv = Path.Combine(_dir, "e.csv");
        Arrange.Events(csv, rows: 700, days: 7);
        Arrange.Table(_warehouse, "a.t", "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string",
            "day(event_time)", "write.delete.mode=merge-on-read");
        Arrange.Ingest(_warehouse, "a.t", csv);
        var matching = long.Parse(Ok("scan", "a.t", "--filter", "amount > 100", "--count").Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var result = JsonDocument.Parse(Ok("--json", "delete", "a.t", "--filter", "amount > 100").Stdout).RootElement;

        Assert.That(result.GetProperty("mode").GetString(), Is.EqualTo("merge-on-read"));
        Assert.That(result.GetProperty("deleted_rows").GetInt64(), Is.EqualTo(matching));
        Assert.That(result.GetProperty("delete_files").GetInt32(), Is.EqualTo(7), "one position delete file per day partition");
        Assert.That(result.GetProperty("summary").GetProperty("operation").GetString(), Is.EqualTo("delete"));
        var left = (700 - matching).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Ok("scan", "a.t", "--count").Stdout.Trim(), Is.EqualTo(left));
        Assert.That(Ok("scan", "a.t", "--filter", "amount > 100", "--count").Stdout.Trim(), Is.EqualTo("0"));
        var compact = JsonDocument.Parse(Ok("--json", "compact", "a.t").Stdout).RootElement;
        Assert.That(compact.GetProperty("removed_delete_files").GetInt32(), Is.EqualTo(7));
        Assert.That(Ok("scan", "a.t", "--count").Stdout.Trim(), Is.EqualTo(left));
    }

    [Test]
    public void Forget_Entity_RemovesItsRowsFromEveryTableWithTheKeyAndRecordsTheReason()
    {
        var csv = Path.Combine(_dir, "e.csv");
        Arrange.Events(csv, rows: 300, days: 3);
        const string schema = "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string";
        Arrange.Table(_warehouse, "a.t1", schema, "day(event_time)");
        Arrange.Table(_warehouse, "a.t2", schema);
        Arrange.Table(_warehouse, "a.other", "id:long not null");
        Arrange.Ingest(_warehouse, "a.t1", csv);
        Arrange.Ingest(_warehouse, "a.t2", csv);
        var entity = Ok("scan", "a.t1", "--columns", "entity_id").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
        var matching = long.Parse(Ok("scan", "a.t1", "--filter", $"entity_id = {entity}", "--count").Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(matching, Is.GreaterThan(0));

        var dry = JsonDocument.Parse(Ok("--json", "forget", "--entity", $"entity_id={entity}", "--dry-run").Stdout).RootElement;
        Assert.That(dry.GetProperty("tables").GetArrayLength(), Is.EqualTo(2));
        Assert.That(Ok("scan", "a.t1", "--count").Stdout.Trim(), Is.EqualTo("300"));

        var done = JsonDocument.Parse(Ok("--json", "forget", "--entity", $"entity_id={entity}", "--reason", "gdpr request 7").Stdout).RootElement;
        foreach (var table in done.GetProperty("tables").EnumerateArray()) Assert.That(table.GetProperty("deleted_rows").GetInt64(), Is.EqualTo(matching));
        foreach (var t in new[] { "a.t1", "a.t2" })
        {
            Assert.That(Ok("scan", t, "--filter", $"entity_id = {entity}", "--count").Stdout.Trim(), Is.EqualTo("0"));
            Assert.That(Ok("scan", t, "--count").Stdout.Trim(), Is.EqualTo((300 - matching).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void Register_ForeignTableWithLocationMap_ReadsItInPlace()
    {
        var root = global::Floe.Tests.Shared.SharedFixtures.Require(Path.Combine("iceberg", "icebird-spark-bunnies"));

        Ok("table", "register", "fx.bunnies", Path.Combine(root, "metadata", "v5.metadata.json"),
            "--location-map", $"s3a://hyperparam-iceberg/spark/bunnies={root}");

        Assert.That(Ok("scan", "fx.bunnies", "--count").Stdout.Trim(), Is.EqualTo("20"));
        Assert.That(Ok("scan", "fx.bunnies", "--snapshot", "7505300640432048841", "--count").Stdout.Trim(), Is.EqualTo("21"));
        var rows = Ok("scan", "fx.bunnies", "--columns", "Breed Name", "--filter", "\"Average Weight\" >= 4").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows[0].Trim(), Is.EqualTo("Breed Name"));
        Assert.That(rows.Skip(1).Select(r => r.Trim()), Does.Contain("Flemish Giant"));
    }

    [TestCase("table")]
    [TestCase("table create")]
    [TestCase("ingest")]
    [TestCase("scan")]
    [TestCase("snapshots")]
    [TestCase("generate events")]
    public void Help_EveryCommand_PrintsUsage(string command)
    {
        var args = command.Split(' ').Append("--help").ToArray();
        var r = Ok(args);
        Assert.That(r.Stdout, Does.Contain("Usage:"));
    }
}
