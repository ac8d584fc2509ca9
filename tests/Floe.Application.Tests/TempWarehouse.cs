using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Application.Tables;
using Floe.Iceberg.Catalog;

namespace Floe.Application.Tests;

/// <summary>A warehouse in a temporary folder with the application services over it; deleted on dispose.</summary>
internal sealed class TempWarehouse : IDisposable
{
    public TempWarehouse()
    {
        Directory = Path.Combine(Path.GetTempPath(), "floe-app-" + Guid.NewGuid().ToString("N"));
        Warehouse = new Warehouse(Path.Combine(Directory, "warehouse"));
        Tables = new TableService(Warehouse);
        Ingest = new IngestService(Warehouse);
        Scan = new ScanService(Warehouse);
    }

    public string Directory { get; }
    public Warehouse Warehouse { get; }
    public TableService Tables { get; }
    public IngestService Ingest { get; }
    public ScanService Scan { get; }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Scans to CSV text (header + rows) with rows sorted, for order-insensitive comparison.</summary>
    public List<string> ScanLines(string table, ScanRequest? request = null)
    {
        var writer = new StringWriter();
        using (var sink = new Floe.Formats.Output.CsvSink(writer, ownsWriter: false))
        {
            Scan.Scan(table, request ?? new ScanRequest(), sink);
        }
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var header = lines[0];
        var rows = lines.Skip(1).OrderBy(l => l, StringComparer.Ordinal).ToList();
        rows.Insert(0, header);
        return rows;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
