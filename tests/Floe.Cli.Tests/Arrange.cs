using Floe.Application.Demo;
using Floe.Application.Ingest;
using Floe.Application.Tables;
using Floe.Application.Warehouses;

namespace Floe.Cli.Tests;

/// <summary>
/// A test's starting state (events files, tables, their rows, tags) made in this process through Floe.Application,
/// the library every <c>floe</c> command is a thin face over, where the premise under test is a later command. Each
/// <c>floe</c> start costs ~18 ms of CPU (half of it the kernel's), so the suite starts the binary only for the commands
/// whose output, exit code or effect a test asserts; the warehouse is the same folder and catalog the binary opens.
/// </summary>
internal static class Arrange
{
    /// <summary>What <c>floe generate events --rows ROWS --days DAYS --output PATH</c> writes (the command's defaults otherwise).</summary>
    public static string Events(string path, long rows, int days = 7)
    {
        new EventGenerator { Rows = rows, Days = days }.WriteCsv(path);
        return path;
    }

    /// <summary>What <c>floe table create NAME --schema SCHEMA [--partition P] [--property k=v]...</c> makes (the warehouse too).</summary>
    public static TableDescription Table(string warehouse, string name, string schema, string? partition = null, params string[] properties) =>
        new TableService(WarehouseFactory.Open(warehouse, create: true)).Create(name, schema, partition, TableService.ParseProperties(properties));

    /// <summary>What <c>floe ingest TABLE FILE [--branch B] [--mode overwrite-partitions]</c> commits; returns the new snapshot's id.</summary>
    public static long Ingest(string warehouse, string table, string file, string branch = "main", IngestMode mode = IngestMode.Append) =>
        new IngestService(WarehouseFactory.Open(warehouse, create: false)).Ingest(table, file, new IngestOptions { Branch = branch, Mode = mode }).SnapshotId;

    /// <summary>What <c>floe tag create TABLE NAME</c> makes: a tag on the table's current snapshot.</summary>
    public static void Tag(string warehouse, string table, string name) =>
        new RefService(WarehouseFactory.Open(warehouse, create: false)).CreateTag(table, name);
}
