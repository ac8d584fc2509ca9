using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>The partition transforms of the spec.</summary>
public enum TransformKind
{
    /// <summary>identity: the source value.</summary>
    Identity,
    /// <summary>year: years since 1970.</summary>
    Year,
    /// <summary>month: months since 1970-01.</summary>
    Month,
    /// <summary>day: days since 1970-01-01.</summary>
    Day,
    /// <summary>hour: hours since 1970-01-01 00:00.</summary>
    Hour,
    /// <summary>bucket[N]: 32-bit Murmur3 hash mod N.</summary>
    Bucket,
    /// <summary>truncate[W]: value truncated to width W.</summary>
    Truncate,
    /// <summary>void: always null.</summary>
    Void,
}
