namespace Floe.Tests.Shared;

/// <summary>
/// The three passes a test can belong to, as NUnit categories, and how large a random sweep runs in each. CI runs all
/// three (<c>.ci/run</c>: the fast pass, then <c>ctest -L deep</c>, then <c>ctest -L stress</c>); a developer's
/// <c>ctest -LE 'stress|deep'</c> runs the first, which must stay quick enough to run after every change, in the
/// manner of <c>go test -short</c>.
/// <list type="bullet">
/// <item>No category: the fast pass.</item>
/// <item><see cref="Sweep"/>: a random property sweep. It runs in the fast pass at its fast size and again, at its full
/// size, in the deep pass (<c>FLOE_TEST_DEPTH=full</c>), so a fast pass still draws every shape of input a few times.</item>
/// <item><see cref="Deep"/>: only the deep pass (a test case that repeats a premise the fast pass already covers at a
/// larger scale or with another seed).</item>
/// <item><see cref="Stress"/>: only the stress pass: SIGKILLed writers, several processes racing on one catalog, a
/// server restarted under a client. Such a test spends its time waiting on other processes, not on the code's logic.</item>
/// </list>
/// CMakeLists.txt registers <c>nunit_&lt;suite&gt;_deep</c> and <c>nunit_&lt;suite&gt;_stress</c> for each suite whose
/// sources name these categories, and keeps them out of the suite's fast run.
/// </summary>
internal static class TestTier
{
    /// <summary>Category of a random sweep that runs in the fast pass at <see cref="Size"/>'s fast size.</summary>
    public const string Sweep = "Sweep";

    /// <summary>Category of a test (or test case) that runs in the deep pass only.</summary>
    public const string Deep = "Deep";

    /// <summary>Category of a multi-process, kill or restart test that runs in the stress pass only.</summary>
    public const string Stress = "Stress";

    /// <summary>True in the deep pass (<c>FLOE_TEST_DEPTH=full</c>): sweeps run at their full size.</summary>
    public static bool Full { get; } =
        string.Equals(Environment.GetEnvironmentVariable("FLOE_TEST_DEPTH"), "full", StringComparison.OrdinalIgnoreCase);

    /// <summary>The size of a sweep (cases, rows, rounds): <paramref name="fast"/> in the fast pass,
    /// <paramref name="full"/> in the deep pass.</summary>
    public static int Size(int fast, int full) => Full ? full : fast;
}
