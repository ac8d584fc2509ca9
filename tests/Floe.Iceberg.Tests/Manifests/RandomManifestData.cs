using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tests.Manifests;

/// <summary>Random data files over a schema with one column of every primitive type, partitioned by every transform kind.</summary>
internal static class RandomManifestData
{
    public static readonly PrimitiveType[] Types =
    {
        PrimitiveType.Boolean, PrimitiveType.Int, PrimitiveType.Long, PrimitiveType.Float, PrimitiveType.Double,
        PrimitiveType.Decimal(9, 2), PrimitiveType.Decimal(28, 6), PrimitiveType.Date, PrimitiveType.Time,
        PrimitiveType.Timestamp, PrimitiveType.TimestampTz, PrimitiveType.TimestampNs, PrimitiveType.TimestampTzNs,
        PrimitiveType.String, PrimitiveType.Uuid, PrimitiveType.Fixed(3), PrimitiveType.Binary,
    };

    public static readonly Schema Schema = new(
        3,
        Types.Select((t, i) => new NestedField(i + 1, "c" + i + (i == 13 ? ".dotted name" : ""), i % 2 == 0, t)).ToList());

    /// <summary>identity on every column, then bucket, day, hour, truncate and void.</summary>
    public static readonly PartitionSpec Spec = new(
        4,
        Types.Select((_, i) => new PartitionField(i + 1, 1000 + i, Schema.Fields[i].Name + "_id", Transform.Identity))
            .Concat(new[]
            {
                new PartitionField(3, 1100, "c2_bucket", Transform.Bucket(8)),
                new PartitionField(10, 1101, "9c_day", Transform.Day),
                new PartitionField(11, 1102, "c10_hour", Transform.Hour),
                new PartitionField(14, 1103, "c13_trunc", Transform.Truncate(4)),
                new PartitionField(2, 1104, "c1_void", Transform.Void),
            })
            .ToList());

    public static PrimitiveType ResultType(PartitionField field) => field.Transform.ResultType((PrimitiveType)Schema.FindField(field.SourceId)!.Type);

    public static object Value(Random rnd, PrimitiveType type, bool allowNaN = true)
    {
        switch (type.Id)
        {
            case TypeId.Boolean: return rnd.Next(2) == 0;
            case TypeId.Int: return rnd.Next(int.MinValue, int.MaxValue);
            case TypeId.Date: return rnd.Next(-100_000, 100_000);
            case TypeId.Long:
                return rnd.NextInt64(long.MinValue, long.MaxValue);
            // Within ±190 years so that readers converting to DateTime (Apache.Avro) accept them.
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
                return rnd.NextInt64(-6_000_000_000_000_000L, 6_000_000_000_000_000L);
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                return rnd.NextInt64(-6_000_000_000_000_000_000L, 6_000_000_000_000_000_000L);
            case TypeId.Time: return rnd.NextInt64(0, 86_400_000_000L);
            case TypeId.Float: return allowNaN && rnd.Next(10) == 0 ? float.NaN : (float)(rnd.NextDouble() * 2e6 - 1e6);
            case TypeId.Double: return allowNaN && rnd.Next(10) == 0 ? double.NaN : rnd.NextDouble() * 2e12 - 1e12;
            case TypeId.Decimal:
                {
                    var digits = type.Precision - type.Scale;
                    var whole = (decimal)rnd.NextInt64(0, (long)Math.Pow(10, Math.Min(digits, 15)));
                    var fraction = (decimal)rnd.Next(0, (int)Math.Pow(10, Math.Min(type.Scale, 6))) / (decimal)Math.Pow(10, Math.Min(type.Scale, 6));
                    var value = whole + fraction;
                    return rnd.Next(2) == 0 ? -value : value;
                }
            case TypeId.String:
                {
                    var alphabet = new[] { "a", "z", "É", "ß", "日本", "😀", " ", "0", "\u0000" };
                    return string.Concat(Enumerable.Range(0, rnd.Next(0, 8)).Select(_ => alphabet[rnd.Next(alphabet.Length)]));
                }
            case TypeId.Uuid:
                {
                    var bytes = new byte[16];
                    rnd.NextBytes(bytes);
                    return new Guid(bytes);
                }
            case TypeId.Fixed:
                {
                    var bytes = new byte[type.Length];
                    rnd.NextBytes(bytes);
                    return bytes;
                }
            default:
                {
                    var bytes = new byte[rnd.Next(0, 20)];
                    rnd.NextBytes(bytes);
                    return bytes;
                }
        }
    }

    public static DataFile File(Random rnd, int index, FileContent content)
    {
        var partition = new object?[Spec.Fields.Count];
        for (var i = 0; i < partition.Length; i++)
        {
            var field = Spec.Fields[i];
            if (field.Transform.Kind == TransformKind.Void || rnd.Next(5) == 0) continue;
            var type = ResultType(field);
            partition[i] = field.Transform.Kind == TransformKind.Bucket ? rnd.Next(8) : Value(rnd, type);
        }
        Dictionary<int, long>? Counts() => rnd.Next(4) == 0 ? null : Schema.Fields.ToDictionary(f => f.Id, _ => rnd.NextInt64(0, 1L << 40));
        Dictionary<int, byte[]>? Bounds() => rnd.Next(4) == 0
            ? null
            : Schema.Fields.ToDictionary(f => f.Id, f => Conversions.ToBytes((PrimitiveType)f.Type, Value(rnd, (PrimitiveType)f.Type, allowNaN: false)));
        return new DataFile
        {
            Content = content,
            FilePath = $"s3://bucket/t/data/{index:D6}-é.parquet",
            FileFormat = rnd.Next(3) == 0 ? "AVRO" : "PARQUET",
            SpecId = Spec.SpecId,
            Partition = new PartitionData(partition),
            RecordCount = rnd.NextInt64(0, 1L << 40),
            FileSizeInBytes = rnd.NextInt64(0, 1L << 40),
            ColumnSizes = Counts(),
            ValueCounts = Counts(),
            NullValueCounts = Counts(),
            NanValueCounts = Counts(),
            LowerBounds = Bounds(),
            UpperBounds = Bounds(),
            KeyMetadata = rnd.Next(5) == 0 ? new byte[] { 1, 2, 3 } : null,
            SplitOffsets = rnd.Next(2) == 0 ? new List<long> { 4, rnd.NextInt64(5, 1L << 30) } : null,
            EqualityIds = content == FileContent.EqualityDeletes ? new List<int> { 1, rnd.Next(2, 17) } : null,
            SortOrderId = content == FileContent.PositionDeletes || rnd.Next(2) == 0 ? null : rnd.Next(0, 3),
            ReferencedDataFile = content == FileContent.PositionDeletes && rnd.Next(2) == 0 ? "s3://bucket/t/data/x.parquet" : null,
        };
    }
}
