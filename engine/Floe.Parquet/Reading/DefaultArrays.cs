using Apache.Arrow;
using Floe.Core.Types;

namespace Floe.Parquet.Reading;

/// <summary>
/// Columns of a field's default value (spec "Default values"): <c>initial-default</c> for rows written before the
/// field existed (what a reader fills for a file without the column), <c>write-default</c> for rows a writer was given
/// without the field.
/// </summary>
public static class DefaultArrays
{
    /// <summary><paramref name="length"/> copies of <paramref name="field"/>'s write-default (nulls when it has none).</summary>
    /// <exception cref="Core.Errors.FloeException">InvalidData when the default is not a value of the field's type; Unsupported for a nested field's default.</exception>
    public static IArrowArray WriteDefault(NestedField field, int length)
    {
        ArgumentNullException.ThrowIfNull(field);
        return ArrowArrays.Constant(field.Type, DefaultValues.Parse(field.WriteDefault, field.Type, field.Name, "write-default"), length);
    }
}
