using System.Collections;
using NUnit.Framework;

namespace Floe.Tests.Shared;

/// <summary>
/// Equality assertions for large collections: a typed element-by-element comparison decides the usual (equal) case,
/// and only collections that differ go to NUnit's <c>Is.EqualTo</c>, which then judges them as it always does and fails
/// with its element-by-element message. NUnit's collection equality boxes every element and walks its comparer chain
/// for each; over the row-by-row comparisons of the Parquet and Iceberg suites that was about half of their CPU time.
/// Elements equal by <see cref="object.Equals(object?, object?)"/> are equal to NUnit too, so the outcome of each
/// assertion is unchanged: the fast path can only pass what NUnit passes.
/// </summary>
internal static class Same
{
    /// <summary>Asserts <paramref name="actual"/> has the elements of <paramref name="expected"/>, in order.</summary>
    public static void Sequence<T>(IEnumerable<T>? actual, IEnumerable<T>? expected, string? message = null)
    {
        if (actual is not null && expected is not null && actual.SequenceEqual(expected)) return;
        Assert.That(actual, Is.EqualTo(expected), message);
    }

    /// <summary>
    /// Asserts two collections of possibly different static element types (boxed values, <c>List&lt;object?&gt;</c>
    /// against <c>List&lt;long?&gt;</c>) have equal elements in order.
    /// </summary>
    public static void Elements(IEnumerable? actual, IEnumerable? expected, string? message = null)
    {
        if (actual is not null && expected is not null && EqualElements(actual, expected)) return;
        Assert.That(actual, Is.EqualTo(expected), message);
    }

    private static bool EqualElements(IEnumerable actual, IEnumerable expected)
    {
        var a = actual.GetEnumerator();
        var e = expected.GetEnumerator();
        while (true)
        {
            var hasA = a.MoveNext();
            if (hasA != e.MoveNext()) return false;
            if (!hasA) return true;
            if (!Equals(a.Current, e.Current)) return false;
        }
    }
}
