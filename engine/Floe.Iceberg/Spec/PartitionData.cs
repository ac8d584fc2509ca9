using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>
/// A partition tuple: one value per partition field (CLR representation as in <see cref="PrimitiveType"/>;
/// null for void or null sources). Value-equal tuples are equal, so tuples can key dictionaries.
/// </summary>
public sealed class PartitionData : IEquatable<PartitionData>
{
    private readonly object?[] _values;

    /// <summary>Wraps the given values (the array is not copied; do not mutate it afterwards).</summary>
    public PartitionData(object?[] values) => _values = values;

    /// <summary>The empty tuple of an unpartitioned spec.</summary>
    public static PartitionData Empty { get; } = new(Array.Empty<object?>());

    /// <summary>Number of values.</summary>
    public int Count => _values.Length;

    /// <summary>Value at position <paramref name="index"/>.</summary>
    public object? this[int index] => _values[index];

    /// <summary>The values.</summary>
    public IReadOnlyList<object?> Values => _values;

    /// <inheritdoc />
    public bool Equals(PartitionData? other)
    {
        if (other is null || other._values.Length != _values.Length) return false;
        for (var i = 0; i < _values.Length; i++)
        {
            if (!ValueEquals(_values[i], other._values[i])) return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PartitionData);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in _values)
        {
            hash.Add(v is byte[] b ? b.Length : v?.GetHashCode() ?? 0);
        }
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "(" + string.Join(", ", _values.Select(v => v?.ToString() ?? "null")) + ")";

    private static bool ValueEquals(object? a, object? b) =>
        a is byte[] x && b is byte[] y ? x.AsSpan().SequenceEqual(y) : Equals(a, b);
}
