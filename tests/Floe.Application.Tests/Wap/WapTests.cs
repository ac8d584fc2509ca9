using System.Diagnostics;
using Floe.Application.Ingest;
using Floe.Application.Tests.Backfill;
using Floe.Application.Wap;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Application.Tests.Wap;

[TestFixture]
public sealed class WapTests
{
    private const string Table = "features.user_txn";
    private const string Branch = "wap-user_txn";
    private BackfillFixture _f = null!;

    [SetUp]
    public void SetUp()
    {
        _f = new BackfillFixture(rows: 8_000, days: 6);
        _f.Run(0, 6);
    }

    [TearDown]
    public void TearDown() => _f.Dispose();

    private AuditService Audits => new(_f.W.Warehouse);

    private PublishService Publisher => new(_f.W.Warehouse);

    private long? Main => _f.Head()?.SnapshotId;

    /// <summary>Stages a backfill of the definition with <paramref name="edit"/> applied to its JSON.</summary>
    private long Stage(Func<string, string>? edit = null, int from = 0, int to = 6)
    {
        var path = _f.W.WriteFile($"def-{Guid.NewGuid():N}.json", (edit ?? (s => s))(BackfillFixture.Json));
        return _f.Service.Run(new Floe.Application.Backfill.BackfillRequest { DefinitionPath = path, From = BackfillFixture.Day(from), To = BackfillFixture.Day(to), CodeVersion = "staged", Wap = true }).SnapshotId;
    }

    [Test]
    public void GoodChange_PassesAndPublishesExactlyTheAuditedSnapshot()
    {
        var before = Main;
        var staged = Stage();
        Assert.That(Main, Is.EqualTo(before), "WAP writes never touch main");

        var audit = Audits.Audit(Table, Branch);
        var published = Publisher.Publish(Table, Branch);

        Assert.That(audit.Passed, Is.True, audit.ToText());
        Assert.That(audit.SnapshotId, Is.EqualTo(staged));
        Assert.That(audit.Checks.Select(c => c.Name), Does.Contain("psi").And.Contain("ks").And.Contain("unique_keys").And.Contain("row_count_change"));
        Assert.That(published.SnapshotId, Is.EqualTo(staged));
        Assert.That(published.PreviousMainSnapshotId, Is.EqualTo(before));
        Assert.That(Main, Is.EqualTo(staged));
    }

    [Test]
    public void UnitBug_FailsTheAudit_AndMainIsUntouched()
    {
        var before = Main;
        var mainRows = _f.TableRows();
        Stage(json => json.Replace("\"column\": \"amount\", \"window\": \"2d\"", "\"column\": \"amount * 100\", \"window\": \"2d\"", StringComparison.Ordinal));

        var audit = Audits.Audit(Table, Branch);

        Assert.That(audit.Passed, Is.False);
        var failed = audit.Checks.Where(c => !c.Passed).Select(c => (c.Name, c.Subject)).ToList();
        Assert.That(failed, Does.Contain(("psi", "amount_sum_2d")).And.Contain(("ks", "amount_sum_2d")));
        Assert.That(failed.Select(f => f.Subject), Has.None.EqualTo("txn_count_1h"), "untouched features do not drift");
        var refused = Assert.Throws<FloeException>(() => Publisher.Publish(Table, Branch));
        Assert.That(refused!.Code, Is.EqualTo(FloeErrorCode.ValidationFailed));
        Assert.That(Main, Is.EqualTo(before));
        Assert.That(_f.TableRows(), Is.EqualTo(mainRows));
    }

    [Test]
    public void Publish_WithoutAnAudit_IsRefused()
    {
        Stage();
        var e = Assert.Throws<FloeException>(() => Publisher.Publish(Table, Branch));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.ValidationFailed));
        Assert.That(e.Message, Does.Contain("has not been audited"));
    }

    [Test]
    public void Publish_AfterTheBranchMovedPastTheAuditedSnapshot_IsRefused()
    {
        Stage();
        Audits.Audit(Table, Branch);
        Stage(from: 2, to: 3);
        var e = Assert.Throws<FloeException>(() => Publisher.Publish(Table, Branch));
        Assert.That(e!.Message, Does.Contain("has not been audited"));
    }

    [Test]
    public void Publish_AfterMainMovedInAConflictingWay_IsRefused()
    {
        var staged = Stage();
        Audits.Audit(Table, Branch);
        _f.Run(1, 2);
        var movedMain = Main;

        var e = Assert.Throws<FloeException>(() => Publisher.Publish(Table, Branch));

        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.ValidationFailed));
        Assert.That(e.Message, Does.Contain("not an ancestor"));
        Assert.That(Main, Is.EqualTo(movedMain));
        Assert.That(Main, Is.Not.EqualTo(staged));
    }

    [Test]
    public void Publish_WithATamperedAuditResult_IsRefused()
    {
        Stage();
        var audit = Audits.Audit(Table, Branch);
        var path = new Uri(audit.ResultLocation!).LocalPath;
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"passed\": false", "\"passed\": true", StringComparison.Ordinal) + " ");
        var e = Assert.Throws<FloeException>(() => Publisher.Publish(Table, Branch));
        Assert.That(e!.Message, Does.Contain("does not match its recorded hash"));
    }

    [Test]
    public void DuplicatedRows_FailUniqueness()
    {
        // Append the staged snapshot's own rows of one day once more: every key of that day repeats.
        Stage();
        var day = Path.Combine(_f.W.Directory, "day2.csv");
        using (var sink = new Floe.Formats.Output.CsvSink(new StreamWriter(day), ownsWriter: true))
        {
            _f.W.Scan.Scan(Table, new Floe.Application.Scanning.ScanRequest { Ref = Branch, Filter = "event_time >= '2024-01-03' and event_time < '2024-01-04'" }, sink);
        }
        var rows = File.ReadAllLines(day).Length - 1;
        _f.W.Ingest.Ingest(Table, day, new IngestOptions { Branch = Branch });

        var audit = Audits.Audit(Table, Branch);

        Assert.That(audit.DuplicateKeys, Is.EqualTo(rows), "the staged table had unique keys, so every appended row repeats one");
        Assert.That(audit.DuplicateKeys, Is.GreaterThan(0));
        Assert.That(audit.Checks.Single(c => c.Name == "unique_keys").Passed, Is.False);
        Assert.That(audit.Checks.Where(c => c.Name == "row_count_change" && c.Subject == "2024-01-03").Single().Passed, Is.False, "the day doubled");
    }

    [Test]
    public void Verdict_IsStoredBoundToTheSnapshot()
    {
        var staged = Stage();
        var audit = Audits.Audit(Table, Branch);
        var table = _f.W.Warehouse.LoadTable(TableIdentifier.Parse(Table));
        Assert.That(table.Metadata.Properties[AuditService.PropertyPrefix + staged], Does.StartWith("passed;sha256="));
        Assert.That(File.Exists(new Uri(audit.ResultLocation!).LocalPath));
        Assert.That(table.Metadata.CurrentSnapshotId, Is.Not.EqualTo(staged), "recording the verdict moves no branch");
    }

    [Test]
    public void Rules_OverrideTheDefaults_PerColumn()
    {
        Stage(json => json.Replace("\"column\": \"amount\", \"window\": \"2d\"", "\"column\": \"amount * 100\", \"window\": \"2d\"", StringComparison.Ordinal));
        var rulesPath = _f.W.WriteFile("rules.yaml", "psi_max: 0.2\ncolumns:\n  amount_sum_2d: {psi_max: 1000, ks_max: 1}\n  avg_2d:\n    psi_max: 1000\n    ks_max: 1\n");
        var audit = Audits.Audit(Table, Branch, AuditRules.Load(rulesPath));
        Assert.That(audit.Passed, Is.True, audit.ToText());
        var bad = _f.W.WriteFile("bad-rules.yaml", "psi_maxx: 1\n");
        Assert.That(Assert.Throws<FloeException>(() => AuditRules.Load(bad))!.Message, Does.Contain("psi_maxx: unknown rule"));
    }

    /// <summary>
    /// The report's HTML in every pass; headless Chromium building its histograms (about 2 CPU-s, this suite's largest
    /// single cost) in the deep pass, where the full size of a sweep runs.
    /// </summary>
    [Test]
    [Category(TestTier.Sweep)]
    public void Report_IsSelfContained_WithOneHistogramPerNumericColumn()
    {
        Stage(json => json.Replace("\"column\": \"amount\", \"window\": \"2d\"", "\"column\": \"amount * 100\", \"window\": \"2d\"", StringComparison.Ordinal));
        var audit = Audits.Audit(Table, Branch);
        var path = AuditReport.Write(audit, Path.Combine(_f.W.Directory, "report"));
        var html = File.ReadAllText(path);

        Assert.That(html, Does.Not.Contain("http:").And.Not.Contain("https:").And.Not.Contain("<script").And.Not.Contain("@import"));
        Assert.That(CountOf(html, "<svg"), Is.EqualTo(audit.Columns.Count));
        Assert.That(audit.Columns.Select(c => c.Name), Is.EquivalentTo(new[] { "txn_count_1h", "amount_sum_2d", "amount_max_1d", "avg_2d" }));
        Assert.That(html.IndexOf("FAIL", StringComparison.Ordinal), Is.LessThan(html.IndexOf(">ok<", StringComparison.Ordinal)), "failed checks first");
        if (!TestTier.Full) return;

        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail("chromium is not installed: .ci/install installs it");
            Assert.Ignore("chromium is not installed here");
        }
        var start = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", new Uri(path).AbsoluteUri])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var dom = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(120_000), Is.True, "chromium finished");
        Assert.That(CountOf(dom.Result, "<svg"), Is.EqualTo(audit.Columns.Count), "the browser built one histogram per feature");
        Assert.That(CountOf(dom.Result, "<rect"), Is.GreaterThan(audit.Columns.Count * 4));
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    [Test]
    public void Drift_MatchesANaiveReference()
    {
        var random = new Random(5);
        for (int round = 0; round < 30; round++)
        {
            var a = Enumerable.Range(0, random.Next(1, 400)).Select(_ => Math.Round(random.NextDouble() * 10, random.Next(0, 3))).Order().ToArray();
            var b = Enumerable.Range(0, random.Next(1, 400)).Select(_ => Math.Round(random.NextDouble() * 12 - 1, random.Next(0, 3))).Order().ToArray();

            double ks = 0;
            foreach (var x in a.Concat(b))
            {
                double fa = a.Count(v => v <= x) / (double)a.Length, fb = b.Count(v => v <= x) / (double)b.Length;
                ks = Math.Max(ks, Math.Abs(fa - fb));
            }
            var edges = Drift.QuantileEdges(a, 10);
            double psi = 0;
            for (int bin = 0; bin <= edges.Length; bin++)
            {
                bool In(double v) => (bin == 0 || v >= edges[bin - 1]) && (bin == edges.Length || v < edges[bin]);
                double pa = Math.Max(a.Count(In) / (double)a.Length, Drift.Epsilon), pb = Math.Max(b.Count(In) / (double)b.Length, Drift.Epsilon);
                psi += (pb - pa) * Math.Log(pb / pa);
            }

            Assert.That(Drift.KolmogorovSmirnov(a, b), Is.EqualTo(ks).Within(1e-12), $"round {round}");
            Assert.That(Drift.PopulationStabilityIndex(a, b), Is.EqualTo(psi).Within(1e-9), $"round {round}");
        }
        var same = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        Assert.That(Drift.PopulationStabilityIndex(same, same), Is.Zero);
        Assert.That(Drift.KolmogorovSmirnov(same, same), Is.Zero);
    }
}
