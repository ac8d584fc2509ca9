using System.Runtime.InteropServices;
using Apache.Arrow;

namespace Floe.Features.Tests.Support;

/// <summary>
/// An output column's cells as 64-bit patterns (a double's bits, a null as <see cref="long.MinValue"/>), read from its
/// value buffer in one typed pass. Checks over hundreds of thousands of rows compared cells this way one at a time
/// through <c>IsValid</c>, <c>GetValue</c> and a type switch per cell: that was most of their CPU, beside the run.
/// </summary>
internal static class ColumnBits
{
    /// <summary>Writes <paramref name="column"/>'s cells to <paramref name="into"/> (at least its length).</summary>
    public static void Read(IArrowArray column, Span<long> into)
    {
        int n = column.Length;
        switch (column)
        {
            case Int64Array a: a.Values.CopyTo(into); break;
            case DoubleArray a: MemoryMarshal.Cast<double, long>(a.Values).CopyTo(into); break;
            case TimestampArray a: a.Values.CopyTo(into); break;
            default: throw new InvalidOperationException($"unexpected {column.GetType().Name}");
        }
        if (column.NullCount == 0) { return; }
        for (int i = 0; i < n; i++)
        {
            if (column.IsNull(i)) { into[i] = long.MinValue; }
        }
    }
}
