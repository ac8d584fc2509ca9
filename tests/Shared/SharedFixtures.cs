namespace Floe.Tests.Shared;

/// <summary>
/// Locates the read-only shared fixtures: <c>FLOE_FIXTURES</c>, else a <c>shared/fixtures</c> folder found by walking up
/// from the test assembly (the repository's sibling). One place for every test project that reads fixtures, so each
/// obeys <see cref="FixturePolicy"/> the same way. Linked into those projects.
/// </summary>
internal static class SharedFixtures
{
    /// <summary>The fixtures folder, or null when it cannot be found.</summary>
    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("FLOE_FIXTURES");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
                if (Directory.Exists(candidate)) return candidate;
            }
            return null;
        }
    }

    /// <summary>The fixtures' <c>iceberg</c> folder (fixture tables), or null when absent.</summary>
    public static string? IcebergRoot
    {
        get
        {
            var root = Root;
            if (root is null) return null;
            var iceberg = Path.Combine(root, "iceberg");
            return Directory.Exists(iceberg) ? iceberg : null;
        }
    }

    /// <summary>
    /// The path of a file or folder under the fixtures; when it is missing the test is skipped, or fails where
    /// fixtures are required (<see cref="FixturePolicy.Missing"/>).
    /// </summary>
    public static string Require(string relative)
    {
        var root = Root;
        if (root is null) FixturePolicy.Missing("shared/fixtures not found (set FLOE_FIXTURES)");
        var path = Path.Combine(root, relative);
        if (!Directory.Exists(path) && !File.Exists(path)) FixturePolicy.Missing($"fixture {relative} not found under {root}");
        return path;
    }
}
