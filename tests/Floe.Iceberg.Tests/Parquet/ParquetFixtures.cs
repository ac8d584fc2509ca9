using NUnit.Framework;

namespace Floe.Iceberg.Tests.Parquet;

/// <summary>Locates /shared/fixtures/iceberg (FLOE_FIXTURES, or walking up from the test assembly).</summary>
internal static class ParquetFixtures
{
    public static string IcebergRoot()
    {
        var env = Environment.GetEnvironmentVariable("FLOE_FIXTURES");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "iceberg"))) return Path.Combine(env, "iceberg");
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "iceberg");
            if (Directory.Exists(candidate)) return candidate;
        }
        Floe.Tests.Shared.FixturePolicy.Missing("shared/fixtures not found (set FLOE_FIXTURES)");
        return "";
    }

    public static IEnumerable<string> DataFiles() =>
        Directory.EnumerateFiles(IcebergRoot(), "*.parquet", SearchOption.AllDirectories)
            .Where(f => f.Contains(Path.DirectorySeparatorChar + "data" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);
}
