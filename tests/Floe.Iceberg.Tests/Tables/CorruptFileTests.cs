using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Tables;

/// <summary>
/// Seeded byte flips and truncations of every kind of file Floe writes (metadata JSON, manifest list, manifest,
/// Parquet data file): loading and scanning the table either succeeds or throws a <see cref="FloeException"/> with
/// InvalidData, NotFound or Io that names a file (or, for a location whose scheme was mutated, the remote location
/// named), never another exception type and never raw file bytes.
/// </summary>
[TestFixture]
public sealed class CorruptFileTests
{
    /// <summary>Seeded mutations of each file: a third of them in the fast pass, every one in the deep pass.</summary>
    private static readonly int MutationsPerFile = TestTier.Size(50, 150);

    private static string Build(TestTables tables)
    {
        var table = tables.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 20, 1)));
        return table.MetadataLocation;
    }

    private static string FileOfKind(string directory, string kind) => kind switch
    {
        "metadata" => Directory.GetFiles(directory, "*.metadata.json", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).Last(),
        "manifest-list" => Directory.GetFiles(directory, "snap-*.avro", SearchOption.AllDirectories).Single(),
        "manifest" => Directory.GetFiles(directory, "*.avro", SearchOption.AllDirectories).Single(f => !Path.GetFileName(f).StartsWith("snap-", StringComparison.Ordinal)),
        _ => Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).First(),
    };

    [TestCase("metadata")]
    [TestCase("manifest-list")]
    [TestCase("manifest")]
    [TestCase("parquet")]
    [Category(TestTier.Sweep)]
    public void LoadAndScan_CorruptedFile_SucceedsOrFailsWithNamedDataError(string kind)
    {
        using var tables = new TestTables();
        Build(tables);
        var victim = FileOfKind(tables.Directory, kind);
        var original = File.ReadAllBytes(victim);
        var rng = new Random(kind.Length * 7919 + 17);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        // One warehouse for every attempt: it holds the catalog's path and nothing read from the table (each LoadTable
        // reads the catalog and the files anew), and opening one ran the catalog's schema statements on SQLite again.
        var warehouse = new Warehouse(tables.Directory);
        for (var m = 0; m < MutationsPerFile; m++)
        {
            var bytes = (byte[])original.Clone();
            var mode = rng.Next(4);
            if (mode == 3)
            {
                Array.Resize(ref bytes, rng.Next(bytes.Length));
            }
            else
            {
                var flips = 1 + rng.Next(mode == 0 ? 1 : 4);
                for (var f = 0; f < flips; f++)
                {
                    var at = rng.Next(bytes.Length);
                    bytes[at] = mode == 2 ? (byte)rng.Next(256) : (byte)(bytes[at] ^ (1 << rng.Next(8)));
                }
            }
            File.WriteAllBytes(victim, bytes);
            var outcome = Attempt(tables.Directory, warehouse, victim);
            if (outcome.Failure is { } failure) failures.Add($"mutation {m} (mode {mode}): {failure}");
            outcomes[outcome.Kind] = outcomes.GetValueOrDefault(outcome.Kind) + 1;
        }
        File.WriteAllBytes(victim, original);
        Assert.That(Attempt(tables.Directory, new Warehouse(tables.Directory), victim).Kind, Is.EqualTo("ok"), "the restored table reads again");
        TestContext.Out.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.That(failures, Is.Empty);
        Assert.That(outcomes.Keys, Has.Some.Not.EqualTo("ok"), "some mutation must be detected");
    }

    [Test]
    public void Load_MetadataWithInvalidUtf8_IsInvalidDataNamingTheFile()
    {
        using var tables = new TestTables();
        Build(tables);
        var victim = FileOfKind(tables.Directory, "metadata");
        var bytes = File.ReadAllBytes(victim);
        var at = Array.IndexOf(bytes, (byte)'"', 10) + 1;
        bytes[at] = 0xFF;
        File.WriteAllBytes(victim, bytes);
        var ex = Assert.Throws<FloeException>(() => new Warehouse(tables.Directory).LoadTable(TableIdentifier.Parse("demo.events")))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.StartWith(victim).Or.Contain(Path.GetFileName(victim)));
        Assert.That(ex.Message, Does.Contain($"not valid UTF-8 (byte offset {at})"));
    }

    [Test]
    public void Open_CatalogThatIsNotADatabase_IsInvalidDataNamingIt()
    {
        using var tables = new TestTables();
        Build(tables);
        var catalog = Directory.GetFiles(tables.Directory, "catalog.db", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(catalog, System.Text.Encoding.ASCII.GetBytes(new string('x', 4096)));
        var ex = Assert.Throws<FloeException>(() => new Warehouse(tables.Directory).LoadTable(TableIdentifier.Parse("demo.events")))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Is.EqualTo(catalog + ": not a SQLite catalog database"));
    }

    private static (string Kind, string? Failure) Attempt(string directory, Warehouse warehouse, string victim)
    {
        try
        {
            var table = warehouse.LoadTable(TableIdentifier.Parse("demo.events"));
            var scan = new TableScan(table);
            var (tasks, _) = scan.PlanFiles();
            foreach (var batch in scan.ReadBatches(tasks)) _ = batch.Length;
            return ("ok", null);
        }
        catch (FloeException e) when (e.Code is FloeErrorCode.InvalidData or FloeErrorCode.NotFound or FloeErrorCode.Io or FloeErrorCode.Unsupported
            // A mutated scheme ("file:" turned "9ile:") makes a location in the file a remote one, which a foreign
            // table would map with --location-map. Which bytes the seeded flips hit depends on the file's length, so
            // on the length of the temporary folder's path: TMPDIR on tmpfs (/dev/shm/floe-tests-…) hits one.
            || (e.Code is FloeErrorCode.InvalidArgument && e.Message.Contains("is not local and no --location-map covers it", StringComparison.Ordinal)))
        {
            if (e.Message.Contains('\n', StringComparison.Ordinal)) return (e.Code.ToString(), $"multi-line message: {e.Message}");
            if (!e.Message.Contains(Path.GetFileName(victim), StringComparison.Ordinal) && !e.Message.Contains(".avro", StringComparison.Ordinal)
                && !e.Message.Contains(".parquet", StringComparison.Ordinal) && !e.Message.Contains(".json", StringComparison.Ordinal)
                // A mutated path inside the file (".avro" turned ".dnro") is reported as that missing file, by its full path.
                && !e.Message.Contains(directory, StringComparison.Ordinal))
            {
                return (e.Code.ToString(), $"message names no file: {e.Message}");
            }
            if (e.Message.Contains("Exception", StringComparison.Ordinal)) return (e.Code.ToString(), $".NET type in message: {e.Message}");
            return (e.Code.ToString(), null);
        }
        catch (Exception e)
        {
            return (e.GetType().Name, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
