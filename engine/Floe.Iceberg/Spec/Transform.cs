using Floe.Core.Errors;

using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>A partition transform with its parameter (N for bucket, W for truncate).</summary>
public sealed record Transform(TransformKind Kind, int Parameter = 0)
{
    /// <summary>identity</summary>
    public static Transform Identity { get; } = new(TransformKind.Identity);
    /// <summary>year</summary>
    public static Transform Year { get; } = new(TransformKind.Year);
    /// <summary>month</summary>
    public static Transform Month { get; } = new(TransformKind.Month);
    /// <summary>day</summary>
    public static Transform Day { get; } = new(TransformKind.Day);
    /// <summary>hour</summary>
    public static Transform Hour { get; } = new(TransformKind.Hour);
    /// <summary>void</summary>
    public static Transform Void { get; } = new(TransformKind.Void);

    /// <summary>bucket[n]</summary>
    public static Transform Bucket(int n) => new(TransformKind.Bucket, n);

    /// <summary>truncate[w]</summary>
    public static Transform Truncate(int w) => new(TransformKind.Truncate, w);

    /// <summary>Parses the spec's string form (<c>bucket[16]</c>, <c>day</c>, ...).</summary>
    public static Transform Parse(string text)
    {
        var t = text.Trim();
        switch (t)
        {
            case "identity": return Identity;
            case "year": return Year;
            case "month": return Month;
            case "day": return Day;
            case "hour": return Hour;
            case "void": return Void;
        }
        if (TryParam(t, "bucket", out var n)) return Bucket(n);
        if (TryParam(t, "truncate", out var w)) return Truncate(w);
        throw Errors.InvalidArgument($"unknown partition transform '{text}' (expected identity, year, month, day, hour, bucket[N], truncate[W] or void)");
    }

    /// <summary>
    /// The type of the partition value this transform produces from <paramref name="source"/>:
    /// identity/truncate keep the source type, year/month/day/hour/bucket give int (day is stored as int and shown
    /// as a date), void keeps the source type and is always null.
    /// </summary>
    public PrimitiveType ResultType(PrimitiveType source) => Kind switch
    {
        TransformKind.Identity or TransformKind.Truncate or TransformKind.Void => source,
        TransformKind.Day => PrimitiveType.Date,
        _ => PrimitiveType.Int,
    };

    /// <summary>The spec's string form.</summary>
    public override string ToString() => Kind switch
    {
        TransformKind.Bucket => $"bucket[{Parameter}]",
        TransformKind.Truncate => $"truncate[{Parameter}]",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    private static bool TryParam(string text, string name, out int value)
    {
        value = 0;
        if (!text.StartsWith(name + "[", StringComparison.Ordinal) || !text.EndsWith(']'))
        {
            return false;
        }
        var inner = text.AsSpan(name.Length + 1, text.Length - name.Length - 2);
        if (!int.TryParse(inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) || value <= 0)
        {
            throw Errors.InvalidArgument($"partition transform '{text}' needs a positive integer parameter");
        }
        return true;
    }
}
