using Floe.Core.Io;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions;

/// <summary>
/// A failure after the catalog swap must not undo a commit that stands. Tidying up used to re-read the new
/// manifest list after the swap (where a read failure could surface); it now uses the list it wrote, so the
/// commit must not read its own manifest list at all, and the committed table stays readable.
/// </summary>
public sealed class SnapshotProducerFailureTests
{
    [Test]
    public void Commit_ReadOfOwnManifestListWouldFail_CommitNeverReadsItAndStands()
    {
        using var tables = new TestTables();
        var created = tables.CreateEvents();
        var io = new FailingReadIO(created.Io);
        var operations = new TableOperations(tables.Warehouse.Catalog, created.Identifier, io);
        var (metadata, location) = operations.Refresh();
        var table = new Table(operations, metadata, location);
        var append = new FastAppend(table);
        foreach (var file in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 10, 1)))) append.AppendFile(file);
        io.FailFirstReadContaining = $"snap-{append.SnapshotId}-";

        var snapshot = append.Commit();

        Assert.That(io.Failed, Is.False, "the commit read its own manifest list");
        var reloaded = tables.Warehouse.LoadTable(created.Identifier);
        Assert.That(reloaded.Metadata.CurrentSnapshotId, Is.EqualTo(snapshot.SnapshotId));
        Assert.That(TestTables.Read(new TableScan(reloaded)), Has.Count.EqualTo(20));
    }

    /// <summary>Delegates to a real file IO but fails the first read of a location containing a marker.</summary>
    private sealed class FailingReadIO : IFileIO
    {
        private readonly IFileIO _inner;

        public FailingReadIO(IFileIO inner) => _inner = inner;

        public string? FailFirstReadContaining { get; set; }

        public bool Failed { get; private set; }

        public Stream OpenRead(string location)
        {
            if (!Failed && FailFirstReadContaining is { } marker && location.Contains(marker, StringComparison.Ordinal))
            {
                Failed = true;
                throw new IOException($"{location}: injected read failure");
            }
            return _inner.OpenRead(location);
        }

        public Stream Create(string location) => _inner.Create(location);

        public void WriteAtomic(string location, ReadOnlySpan<byte> content) => _inner.WriteAtomic(location, content);

        public bool Exists(string location) => _inner.Exists(location);

        public long GetLength(string location) => _inner.GetLength(location);

        public void Delete(string location) => _inner.Delete(location);

        public IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix) => _inner.List(prefix);
    }
}
