using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// A boolean column as two Arrow-layout bitmaps: values and validity (null = every row valid). Value bits under a
/// null row are zero; bits past <see cref="Length"/> are clear.
/// </summary>
public sealed class BooleanBits
{
    /// <summary>Wraps the bitmaps (not copied).</summary>
    public BooleanBits(ulong[] values, ulong[]? valid, int length)
    {
        Values = values;
        Valid = valid;
        Length = length;
    }

    /// <summary>The value bits.</summary>
    public ulong[] Values { get; }

    /// <summary>The validity bits, or null when no row is null.</summary>
    public ulong[]? Valid { get; }

    /// <summary>The number of rows.</summary>
    public int Length { get; }

    /// <summary>Whether row <paramref name="row"/> is true (null counts as not true).</summary>
    public bool IsTrue(int row) => Bitmap.Get(Values, row) && (Valid is null || Bitmap.Get(Valid, row));

    /// <summary>Whether row <paramref name="row"/> is null.</summary>
    public bool IsNull(int row) => Valid is not null && !Bitmap.Get(Valid, row);
}
