using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Tests.Shared;

/// <summary>A schema with every primitive type and a 4-row batch (row 3 null in every optional column).</summary>
internal static class WriterTestSchemas
{
    public static readonly Schema AllTypes = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "b", false, PrimitiveType.Boolean),
        new NestedField(3, "i", false, PrimitiveType.Int),
        new NestedField(4, "l", false, PrimitiveType.Long),
        new NestedField(5, "f", false, PrimitiveType.Float),
        new NestedField(6, "d", false, PrimitiveType.Double),
        new NestedField(7, "dec9", false, PrimitiveType.Decimal(9, 2)),
        new NestedField(8, "dec18", false, PrimitiveType.Decimal(18, 4)),
        new NestedField(9, "dec38", false, PrimitiveType.Decimal(38, 10)),
        new NestedField(10, "dt", false, PrimitiveType.Date),
        new NestedField(11, "tm", false, PrimitiveType.Time),
        new NestedField(12, "ts", false, PrimitiveType.Timestamp),
        new NestedField(13, "tstz", false, PrimitiveType.TimestampTz),
        new NestedField(14, "s", false, PrimitiveType.String),
        new NestedField(15, "u", false, PrimitiveType.Uuid),
        new NestedField(16, "fx", false, PrimitiveType.Fixed(3)),
        new NestedField(17, "bin", false, PrimitiveType.Binary),
    });

    public static readonly Guid Uuid1 = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
    public static readonly Guid Uuid2 = Guid.Parse("f0112233-4455-6677-8899-aabbccddeeff");

    // 2024-01-02T03:04:05.123456Z in µs
    public const long Ts1 = 1704164645123456L;
    public const long Ts2 = 1704164645123456L + 86_400_000_000L;

    public static RecordBatch AllTypesBatch()
    {
        var arrow = ArrowSchemas.ToArrow(AllTypes);
        var columns = new IArrowArray[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, new long?[] { 1, 2, 3, 4 }),
            ArrowTestData.Booleans(new bool?[] { true, false, null, true }),
            ArrowTestData.Primitive<int>(Int32Type.Default, new int?[] { 5, -7, null, 42 }),
            ArrowTestData.Primitive<long>(Int64Type.Default, new long?[] { long.MinValue, 0, null, long.MaxValue }),
            ArrowTestData.Primitive<float>(FloatType.Default, new float?[] { 1.5f, float.NaN, null, -2.5f }),
            ArrowTestData.Primitive<double>(DoubleType.Default, new double?[] { 0.0, double.NaN, null, 3.25 }),
            ArrowTestData.Decimals(9, 2, new decimal?[] { 123.45m, -0.01m, null, 9999999.99m }),
            ArrowTestData.Decimals(18, 4, new decimal?[] { 1.0001m, -99999999999999.9999m, null, 0m }),
            ArrowTestData.Decimals(38, 10, new decimal?[] { 12345678901234.5678901234m, -1m, null, 0.0000000001m }),
            ArrowTestData.Primitive<int>(Date32Type.Default, new int?[] { 19724, 0, null, -1 }),
            ArrowTestData.Primitive<long>(new Time64Type(TimeUnit.Microsecond), new long?[] { 3_600_000_000L, 0, null, 86_399_999_999L }),
            ArrowTestData.Primitive<long>(new TimestampType(TimeUnit.Microsecond, (string?)null), new long?[] { Ts1, Ts2, null, Ts1 + 1 }),
            ArrowTestData.Primitive<long>(new TimestampType(TimeUnit.Microsecond, "UTC"), new long?[] { Ts2, Ts1, null, Ts1 }),
            ArrowTestData.Strings(new[] { "hello", "abcdefghijklmnopqrstuvwxyz", null, "émoji 🎉" }),
            ArrowTestData.Fixed(16, new[] { Uuid1.ToByteArray(bigEndian: true), Uuid2.ToByteArray(bigEndian: true), null, Uuid1.ToByteArray(bigEndian: true) }),
            ArrowTestData.Fixed(3, new[] { new byte[] { 1, 2, 3 }, new byte[] { 0, 0, 0 }, null, new byte[] { 255, 255, 255 } }),
            ArrowTestData.Binary(BinaryType.Default, new[] { new byte[] { 9 }, Enumerable.Repeat((byte)0xAB, 40).ToArray(), null, System.Array.Empty<byte>() }),
        };
        return new RecordBatch(arrow, columns, 4);
    }
}
