using System.Globalization;
using System.Text;
using Apache.Arrow;
using Floe.Features.Definitions;

namespace Floe.Online;

/// <summary>
/// The key layout of the online store. One hash per feature group version and entity:
/// <c>{prefix}:{group}:v{version}:{entity}</c>, where a composite entity's parts are joined by <c>:</c> and each part
/// is its invariant text with <c>%</c> and <c>:</c> percent-encoded (a timestamp part is its epoch microseconds). The hash
/// holds one field per non-null feature (invariant text; doubles round-trip), <c>_ts</c> (the feature time in epoch
/// µs) and <c>_src</c> (the snapshot id or stream position that wrote it). <c>{prefix}:{group}:v{version}:_meta</c> records
/// the last materialized snapshot.
/// </summary>
public static class OnlineKeys
{
    /// <summary>The hash field holding the feature time (epoch microseconds).</summary>
    public const string TimeField = "_ts";

    /// <summary>The hash field naming what wrote the values.</summary>
    public const string SourceField = "_src";

    /// <summary>The <c>_meta</c> hash field listing the group's entity columns, comma-separated, in key order.</summary>
    public const string EntityColumnsField = "entity";

    /// <summary>One entity key part as the store spells it: <c>%</c> and <c>:</c> percent-encoded.</summary>
    public static string EncodePart(string part) => part.Replace("%", "%25", StringComparison.Ordinal).Replace(":", "%3A", StringComparison.Ordinal);

    /// <summary>The key prefix of <paramref name="definition"/>'s hashes (ends with <c>:</c>).</summary>
    public static string GroupPrefix(string prefix, FeatureGroupDefinition definition) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}:{definition.Name}:v{definition.Version}:");

    /// <summary>The metadata hash of <paramref name="definition"/>.</summary>
    public static string Meta(string prefix, FeatureGroupDefinition definition) => GroupPrefix(prefix, definition) + MetaSuffix;

    /// <summary>The last part of a group's metadata hash key.</summary>
    public const string MetaSuffix = "_meta";

    /// <summary>The key of the entity whose parts are <paramref name="parts"/> (already in invariant text).</summary>
    public static string Entity(string prefix, FeatureGroupDefinition definition, IReadOnlyList<string> parts)
    {
        var key = new StringBuilder(GroupPrefix(prefix, definition));
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0) key.Append(':');
            foreach (var c in parts[i])
            {
                if (c == '%') key.Append("%25");
                else if (c == ':') key.Append("%3A");
                else key.Append(c);
            }
        }
        return key.ToString();
    }

    /// <summary>The invariant text of row <paramref name="row"/> of <paramref name="array"/>, or null for a null value.</summary>
    public static string? Text(IArrowArray array, int row)
    {
        if (array.IsNull(row)) return null;
        return array switch
        {
            DoubleArray d => d.Values[row].ToString("R", CultureInfo.InvariantCulture),
            FloatArray f => f.Values[row].ToString("R", CultureInfo.InvariantCulture),
            Int64Array l => l.Values[row].ToString(CultureInfo.InvariantCulture),
            Int32Array i => i.Values[row].ToString(CultureInfo.InvariantCulture),
            Int16Array s => s.Values[row].ToString(CultureInfo.InvariantCulture),
            BooleanArray b => b.GetValue(row) == true ? "true" : "false",
            StringArray s => s.GetString(row),
            TimestampArray t => t.Values[row].ToString(CultureInfo.InvariantCulture),
            Date32Array d => d.Values[row].ToString(CultureInfo.InvariantCulture),
            _ => throw new NotSupportedException($"online values of Arrow type {array.Data.DataType.Name} are not supported"),
        };
    }
}
