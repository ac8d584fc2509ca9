using NUnit.Framework;
namespace Floe.Iceberg.Tests.Spec;

/// <summary>
/// Locates the shared fixtures folder: env FLOE_FIXTURES, else a <c>shared/fixtures</c> folder that is a sibling of
/// the repository, found by walking up from the test assembly directory.
/// </summary>
internal static class SpecFixtures
{
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

    /// <summary>The path of a fixture sub-folder, or <see cref="Floe.Tests.Shared.FixturePolicy.Missing"/> when fixtures are absent.</summary>
    public static string Require(string relative)
    {
        var root = Root;
        if (root is null)
        {
            Floe.Tests.Shared.FixturePolicy.Missing("shared/fixtures not found (set FLOE_FIXTURES)");
        }
        var path = Path.Combine(root!, relative);
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            Floe.Tests.Shared.FixturePolicy.Missing($"fixture {relative} not found under {root}");
        }
        return path;
    }
}
