using System.Diagnostics.CodeAnalysis;
using NUnit.Framework;

namespace Floe.Tests.Shared;

/// <summary>
/// What a fixture test does when the shared fixtures (<c>FLOE_FIXTURES</c>, or <c>shared/fixtures</c> beside the
/// repository) are missing: on a developer machine it is skipped; in CI (<c>CI</c> or <c>FLOE_REQUIRE_FIXTURES</c> set,
/// as <c>.ci/run</c> does) it fails, so a clean clone without fixtures cannot pass while silently losing those tests.
/// Linked into each test project that reads fixtures.
/// </summary>
internal static class FixturePolicy
{
    /// <summary>True when fixtures must be present (CI).</summary>
    public static bool Required =>
        IsSet(Environment.GetEnvironmentVariable("FLOE_REQUIRE_FIXTURES")) || IsSet(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Fails (CI) or ignores (elsewhere) the current test because a fixture is missing.</summary>
    [DoesNotReturn]
    public static void Missing(string message)
    {
        if (Required)
        {
            Assert.Fail($"{message}; fixtures are required here (CI or FLOE_REQUIRE_FIXTURES is set)");
        }

        Assert.Ignore(message);
        throw new InvalidOperationException(message);
    }

    private static bool IsSet(string? value) =>
        !string.IsNullOrEmpty(value) && value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
}
