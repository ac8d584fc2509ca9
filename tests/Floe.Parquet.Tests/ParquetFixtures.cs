using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>The Parquet files of the shared fixture tables (located by <see cref="SharedFixtures"/>).</summary>
internal static class ParquetFixtures
{
    /// <summary>The fixture tables' folder; a missing one skips the test, or fails it in CI.</summary>
    public static string IcebergRoot() => SharedFixtures.Require("iceberg");

    /// <summary>Every data or delete file under a fixture table's <c>data</c> folder, in a stable order.</summary>
    public static IEnumerable<string> DataFiles() =>
        Directory.EnumerateFiles(IcebergRoot(), "*.parquet", SearchOption.AllDirectories)
            .Where(f => f.Contains(Path.DirectorySeparatorChar + "data" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);
}
