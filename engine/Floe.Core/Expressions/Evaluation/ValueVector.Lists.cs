namespace Floe.Core.Expressions.Evaluation;

/// <summary>List columns (Arrow's list layout): offsets into a vector of elements.</summary>
public sealed partial class ValueVector
{
    /// <summary>For list columns: row i holds <c>ListValues[ListOffsets[i]..ListOffsets[i + 1]]</c>.</summary>
    public int[]? ListOffsets { get; private init; }

    /// <summary>The flattened elements of a list column; <see cref="Kind"/> is their kind.</summary>
    public ValueVector? ListValues { get; private init; }

    /// <summary>Whether this is a list column.</summary>
    public bool IsList => ListOffsets is not null;

    /// <summary>A list column of <c>offsets.Length - 1</c> rows over <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The offsets are empty or point past the elements, or the validity is short.</exception>
    public static ValueVector FromList(ValueKind elementKind, int[] offsets, ValueVector values, ulong[]? valid)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(values);
        int length = offsets.Length - 1;
        Check(length, valid, length);
        if (offsets[length] > values.Length) { throw new ArgumentException("offsets point past the elements", nameof(offsets)); }
        return new(elementKind, length, null, null, null, valid) { ListOffsets = offsets, ListValues = values };
    }
}
