using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary><c>floe features validate|compute</c> as a process: results, JSON and the stage profile.</summary>
[TestFixture]
[Category("Integration")]
public sealed class FeaturesCliTests
{
    private const string Definition = """
        {"name": "txn", "version": 1, "entity": "entity_id", "timestamp": "event_time",
         "features": [{"name": "n_1h", "agg": "count", "window": "1h"}, {"name": "sum_1d", "agg": "sum", "column": "amount", "window": "1d"}]}
        """;

    private string _shared = "";
    private string _events = "";
    private string _dir = "";
    private string _warehouse = "";
    private string _definition = "";

    // The events are only read, so the fixture's tests share one file.
    [OneTimeSetUp]
    public void MakeEvents()
    {
        _shared = Path.Combine(Path.GetTempPath(), "floe-cli-features-events-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_shared);
        _events = Arrange.Events(Path.Combine(_shared, "events.csv"), rows: 3000, days: 3);
    }

    [OneTimeTearDown]
    public void DeleteEvents() => Directory.Delete(_shared, recursive: true);

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-cli-features-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _warehouse = Path.Combine(_dir, "wh");
        _definition = Path.Combine(_dir, "txn.json");
        File.WriteAllText(_definition, Definition);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private FloeProcess.Result Ok(params string[] args)
    {
        var r = FloeProcess.Run(_warehouse, args);
        Assert.That(r.ExitCode, Is.EqualTo(0), $"floe {string.Join(' ', args)} failed: {r.Stderr}");
        return r;
    }

    [Test]
    public void Compute_Json_CountsEveryEventOnceAndWritesAParquetFile()
    {
        var output = Path.Combine(_dir, "features.parquet");
        var result = JsonDocument.Parse(Ok("--json", "features", "compute", _definition, "--from", "2024-01-01", "--to", "2024-01-04",
            "--source", _events, "--output", output).Stdout).RootElement;

        Assert.That(result.GetProperty("rows").GetInt64(), Is.EqualTo(3000));
        Assert.That(result.GetProperty("events_read").GetInt64(), Is.EqualTo(3000));
        Assert.That(result.GetProperty("partitions").GetInt32(), Is.EqualTo(3));
        var bytes = File.ReadAllBytes(output);
        Assert.That(bytes[..4], Is.EqualTo("PAR1"u8.ToArray()), "Parquet magic at the start");
        Assert.That(bytes[^4..], Is.EqualTo("PAR1"u8.ToArray()), "Parquet magic at the end");
    }

    [Test]
    public void Compute_Profile_PrintsEveryStageOnStderrAndTheSameResult()
    {
        var output = Path.Combine(_dir, "features.parquet");
        var profiled = Ok("features", "compute", _definition, "--from", "2024-01-02", "--to", "2024-01-03", "--source", _events, "--output", output, "--profile");
        var plain = Ok("features", "compute", _definition, "--from", "2024-01-02", "--to", "2024-01-03", "--source", _events, "--output", output);

        foreach (var stage in new[] { "read", "encode", "file", "sort", "kernel", "permute", "output", "write", "writewait", "collect" })
        {
            Assert.That(Regex.IsMatch(profiled.Stderr, $@"\b{stage} \d+\.\d\d s/\d+\.\d\d CPU-s/\d+\.\d\d thread-CPU-s/\d+ MiB"), Is.True, $"stage {stage} in: {profiled.Stderr}");
        }
        Assert.That(Regex.IsMatch(profiled.Stderr, @"GCs gen0/1/2 \d+/\d+/\d+, pauses \d+\.\d\d s, \d+ MiB allocated in all"), Is.True, profiled.Stderr);
        // The run's phases, since the command started and on the clock an outside timeline reads (bench/cli/timeline.py).
        const string Phases = @"start (?<start>\d+\.\d+), read-end (?<read>\d+\.\d+), post-read-gc-end \d+\.\d+, chunks-end \d+\.\d+, writes-end \d+\.\d+, complete-end (?<end>\d+\.\d+)";
        var since = Regex.Match(profiled.Stderr, @"marks \(s since start\): " + Phases);
        var clock = Regex.Match(profiled.Stderr, @"marks \(CLOCK_MONOTONIC s\): " + Phases);
        Assert.That(since.Success && clock.Success, Is.True, profiled.Stderr);
        Assert.That(since.Groups["start"].Value, Is.EqualTo("0.000"));
        double Seconds(Match m, string name) => double.Parse(m.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Seconds(clock, "end") - Seconds(clock, "start"), Is.EqualTo(Seconds(since, "end")).Within(0.0015), "the two lists agree");
        Assert.That(plain.Stderr, Does.Not.Contain("CPU-s"), "no profile unless asked");
        // The profile goes to stderr only: stdout is the same one-line summary either way (its seconds aside).
        Assert.That(Regex.Replace(profiled.Stdout, @"[\d.]+ s\b", "T"), Is.EqualTo(Regex.Replace(plain.Stdout, @"[\d.]+ s\b", "T")));
        Assert.That(plain.Stdout, Does.StartWith("wrote 1000 rows (1 day partitions)"));
    }

    [Test]
    public void Validate_BadWindow_NamesTheFieldInJsonAndFails()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, Definition.Replace("\"1h\"", "\"1 fortnight\"", StringComparison.Ordinal));
        var r = FloeProcess.Run(_warehouse, "--json", "features", "validate", bad);

        Assert.That(r.ExitCode, Is.Not.EqualTo(0));
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.That(json.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(json.GetProperty("errors")[0].GetString(), Does.Contain("window"));
        Assert.That(JsonDocument.Parse(Ok("--json", "features", "validate", _definition).Stdout).RootElement.GetProperty("valid").GetBoolean(), Is.True);
    }
}
