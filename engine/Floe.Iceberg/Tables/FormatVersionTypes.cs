using Floe.Core.Errors;
using Floe.Core.Types;

namespace Floe.Iceberg.Tables;

/// <summary>
/// Which format version a schema needs: <c>timestamp_ns</c> and <c>timestamptz_ns</c> exist from format v3 on (spec
/// "Version 3"). A v2 table is refused such a schema rather than written with metadata v2 readers cannot read.
/// </summary>
public static class FormatVersionTypes
{
    /// <summary>Throws unless every column of <paramref name="schema"/> exists in format <paramref name="formatVersion"/>.</summary>
    /// <exception cref="FloeException">Unsupported naming the first column that needs a newer format.</exception>
    public static void Require(Schema schema, int formatVersion)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (formatVersion >= 3) return;
        foreach (var field in schema.Fields) Check(field, field.Name, formatVersion);
    }

    private static void Check(NestedField field, string path, int formatVersion)
    {
        CheckType(field.Type, path, formatVersion);
    }

    private static void CheckType(IcebergType type, string path, int formatVersion)
    {
        switch (type)
        {
            case PrimitiveType { Id: TypeId.TimestampNs or TypeId.TimestampTzNs } p:
                throw Errors.Unsupported($"column '{path}': type {p} needs format-version 3 (create the table with --property format-version=3)");
            case StructType s:
                foreach (var f in s.Fields) Check(f, path + "." + f.Name, formatVersion);
                break;
            case ListType l:
                CheckType(l.ElementType, path + ".element", formatVersion);
                break;
            case MapType m:
                CheckType(m.KeyType, path + ".key", formatVersion);
                CheckType(m.ValueType, path + ".value", formatVersion);
                break;
        }
    }
}
