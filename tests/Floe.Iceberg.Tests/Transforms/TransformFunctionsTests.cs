using NUnit.Framework;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Tests.Transforms;

[TestFixture]
public sealed class TransformFunctionsTests
{
    private static int Days(int y, int m, int d) => (int)(new DateTime(y, m, d) - DateTime.UnixEpoch).TotalDays;

    private static long Micros(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) =>
        (new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10;

    [TestCase(1, 0)]
    [TestCase(-1, -10)]
    [TestCase(10, 10)]
    [TestCase(-10, -10)]
    [TestCase(-11, -20)]
    public void Apply_TruncateInt_FloorsToWidth(int v, int expected)
    {
        Assert.That(TransformFunctions.Apply(Transform.Truncate(10), PrimitiveType.Int, v), Is.EqualTo(expected));
        Assert.That(TransformFunctions.Apply(Transform.Truncate(10), PrimitiveType.Long, (long)v), Is.EqualTo((long)expected));
    }

    [Test]
    public void Apply_TruncateDecimal_UsesColumnScale()
    {
        Assert.That(TransformFunctions.Apply(Transform.Truncate(50), PrimitiveType.Decimal(9, 2), 10.65m), Is.EqualTo(10.50m));
        Assert.That(TransformFunctions.Apply(Transform.Truncate(50), PrimitiveType.Decimal(9, 2), -0.05m), Is.EqualTo(-0.50m));
    }

    [Test]
    public void Apply_TruncateStringAndBinary_ByCodePointsAndBytes()
    {
        Assert.That(TransformFunctions.Apply(Transform.Truncate(3), PrimitiveType.String, "iceberg"), Is.EqualTo("ice"));
        Assert.That(TransformFunctions.Apply(Transform.Truncate(2), PrimitiveType.String, "😀😀😀"), Is.EqualTo("😀😀"));
        Assert.That(TransformFunctions.Apply(Transform.Truncate(3), PrimitiveType.Binary, new byte[] { 1, 2, 3, 4, 5 }), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void Apply_TimeTransformsOnTimestamp_UseFloor()
    {
        var ts = Micros(2024, 1, 3, 10, 30);
        Assert.Multiple(() =>
        {
            Assert.That(TransformFunctions.Apply(Transform.Day, PrimitiveType.Timestamp, ts), Is.EqualTo(Days(2024, 1, 3)));
            Assert.That(TransformFunctions.Apply(Transform.Hour, PrimitiveType.TimestampTz, ts), Is.EqualTo(Days(2024, 1, 3) * 24 + 10));
            Assert.That(TransformFunctions.Apply(Transform.Month, PrimitiveType.Timestamp, ts), Is.EqualTo(54 * 12));
            Assert.That(TransformFunctions.Apply(Transform.Year, PrimitiveType.Timestamp, ts), Is.EqualTo(54));
            Assert.That(TransformFunctions.Apply(Transform.Day, PrimitiveType.Timestamp, -1L), Is.EqualTo(-1));
            Assert.That(TransformFunctions.Apply(Transform.Hour, PrimitiveType.Timestamp, -1L), Is.EqualTo(-1));
            Assert.That(TransformFunctions.Apply(Transform.Month, PrimitiveType.Timestamp, -1L), Is.EqualTo(-1));
            Assert.That(TransformFunctions.Apply(Transform.Year, PrimitiveType.Timestamp, -1L), Is.EqualTo(-1));
            Assert.That(TransformFunctions.Apply(Transform.Year, PrimitiveType.Date, Days(1968, 12, 31)), Is.EqualTo(-2));
            Assert.That(TransformFunctions.Apply(Transform.Month, PrimitiveType.Date, Days(1969, 1, 1)), Is.EqualTo(-12));
            Assert.That(TransformFunctions.Apply(Transform.Day, PrimitiveType.TimestampNs, ts * 1000 + 999), Is.EqualTo(Days(2024, 1, 3)));
            Assert.That(TransformFunctions.Apply(Transform.Day, PrimitiveType.TimestampNs, -1L), Is.EqualTo(-1));
        });
    }

    [Test]
    public void Apply_NullOrVoid_GivesNull()
    {
        Assert.That(TransformFunctions.Apply(Transform.Day, PrimitiveType.Timestamp, null), Is.Null);
        Assert.That(TransformFunctions.Apply(Transform.Void, PrimitiveType.String, "x"), Is.Null);
    }

    [Test]
    public void Apply_Bucket_MasksSignAndMods()
    {
        // hash("iceberg") = 1210000089 → 1210000089 % 16 = 9
        Assert.That(TransformFunctions.Apply(Transform.Bucket(16), PrimitiveType.String, "iceberg"), Is.EqualTo(1210000089 % 16));
        // hash(2017-11-16 date) is negative: -653330422 & MaxValue
        Assert.That(TransformFunctions.Apply(Transform.Bucket(100), PrimitiveType.Date, Days(2017, 11, 16)), Is.EqualTo((-653330422 & int.MaxValue) % 100));
    }

    [Test]
    public void Apply_WrongClrType_ThrowsNamingType()
    {
        var ex = Assert.Throws<FloeException>(() => TransformFunctions.Apply(Transform.Day, PrimitiveType.Timestamp, 5));
        Assert.That(ex!.Message, Does.Contain("timestamp"));
    }

    [TestCase(TransformKind.Day, TypeId.String, false)]
    [TestCase(TransformKind.Hour, TypeId.Date, false)]
    [TestCase(TransformKind.Day, TypeId.Date, true)]
    [TestCase(TransformKind.Bucket, TypeId.Double, false)]
    [TestCase(TransformKind.Bucket, TypeId.Uuid, true)]
    [TestCase(TransformKind.Truncate, TypeId.Uuid, false)]
    [TestCase(TransformKind.Identity, TypeId.Double, true)]
    public void CanApply_SpecTable(TransformKind kind, TypeId type, bool expected)
    {
        var t = kind switch { TransformKind.Bucket => Transform.Bucket(4), TransformKind.Truncate => Transform.Truncate(4), _ => new Transform(kind) };
        var p = type switch { TypeId.String => PrimitiveType.String, TypeId.Date => PrimitiveType.Date, TypeId.Double => PrimitiveType.Double, _ => PrimitiveType.Uuid };
        Assert.That(TransformFunctions.CanApply(t, p), Is.EqualTo(expected));
    }

    [Test]
    public void EnsureCanApply_DayOnString_NamesColumnAndTransform()
    {
        var ex = Assert.Throws<FloeException>(() => TransformFunctions.EnsureCanApply(Transform.Day, PrimitiveType.String, "name"));
        Assert.That(ex!.Message, Is.EqualTo("partition transform day cannot be applied to column 'name' of type string"));
    }

    [Test]
    public void BatchForms_RandomValues_MatchScalarApply([Range(0, 257, 17)] int length)
    {
        var rng = new Random(length);
        var longs = new long[length];
        var ints = new int[length];
        for (var i = 0; i < length; i++)
        {
            longs[i] = rng.NextInt64(-4_000_000_000_000_000L, 4_000_000_000_000_000L);
            ints[i] = rng.Next(-1_000_000, 1_000_000);
        }
        var dest = new int[length];
        void Check(Transform t, PrimitiveType type, Func<int, object> value)
        {
            for (var i = 0; i < length; i++) Assert.That(dest[i], Is.EqualTo(TransformFunctions.Apply(t, type, value(i))), $"{t} on {type} at {i}");
        }
        TransformFunctions.Day(longs, dest); Check(Transform.Day, PrimitiveType.Timestamp, i => longs[i]);
        TransformFunctions.Hour(longs, dest); Check(Transform.Hour, PrimitiveType.Timestamp, i => longs[i]);
        TransformFunctions.Month(longs, dest); Check(Transform.Month, PrimitiveType.Timestamp, i => longs[i]);
        TransformFunctions.Year(longs, dest); Check(Transform.Year, PrimitiveType.Timestamp, i => longs[i]);
        TransformFunctions.Bucket(longs, 16, dest); Check(Transform.Bucket(16), PrimitiveType.Long, i => longs[i]);
        TransformFunctions.Bucket(ints, 7, dest); Check(Transform.Bucket(7), PrimitiveType.Int, i => ints[i]);
        TransformFunctions.MonthOfDate(ints, dest); Check(Transform.Month, PrimitiveType.Date, i => ints[i]);
        TransformFunctions.YearOfDate(ints, dest); Check(Transform.Year, PrimitiveType.Date, i => ints[i]);
        TransformFunctions.Truncate(ints, 10, dest); Check(Transform.Truncate(10), PrimitiveType.Int, i => ints[i]);
        TransformFunctions.ApplyToLongs(Transform.Day, PrimitiveType.TimestampNs, longs, dest); Check(Transform.Day, PrimitiveType.TimestampNs, i => longs[i]);

        var strings = Enumerable.Range(0, length).Select(i => "s" + rng.Next() + (i % 3 == 0 ? "ü" : "")).ToArray();
        var data = new List<byte>();
        var offsets = new int[length + 1];
        for (var i = 0; i < length; i++)
        {
            data.AddRange(System.Text.Encoding.UTF8.GetBytes(strings[i]));
            offsets[i + 1] = data.Count;
        }
        TransformFunctions.Bucket(data.ToArray(), offsets, 32, dest);
        Check(Transform.Bucket(32), PrimitiveType.String, i => strings[i]);
    }

    [Test]
    public void Day_ShortDestination_Throws() =>
        Assert.Throws<ArgumentException>(() => TransformFunctions.Day(new long[3], new int[2]));

    [Test]
    public void ToHumanString_TimeTransforms_MatchJava()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TransformFunctions.ToHumanString(Transform.Day, PrimitiveType.Timestamp, Days(2024, 1, 3)), Is.EqualTo("2024-01-03"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Hour, PrimitiveType.Timestamp, Days(2024, 1, 3) * 24 + 10), Is.EqualTo("2024-01-03-10"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Month, PrimitiveType.Timestamp, 54 * 12), Is.EqualTo("2024-01"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Month, PrimitiveType.Timestamp, -1), Is.EqualTo("1969-12"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Year, PrimitiveType.Timestamp, 54), Is.EqualTo("2024"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Hour, PrimitiveType.Timestamp, -1), Is.EqualTo("1969-12-31-23"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Day, PrimitiveType.Timestamp, null), Is.EqualTo("null"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Bucket(8), PrimitiveType.String, 5), Is.EqualTo("5"));
        });
    }

    [Test]
    public void ToHumanString_IdentityValues_MatchJava()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Timestamp, Micros(2023, 5, 15, 14, 30, 45)), Is.EqualTo("2023-05-15T14:30:45"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Timestamp, Micros(2023, 5, 15, 14, 30)), Is.EqualTo("2023-05-15T14:30"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.TimestampTz, Micros(2023, 5, 15, 14, 30) + 1000), Is.EqualTo("2023-05-15T14:30:00.001Z"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Timestamp, -1L), Is.EqualTo("1969-12-31T23:59:59.999999"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Date, Days(2024, 2, 29)), Is.EqualTo("2024-02-29"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Double, 1.0), Is.EqualTo("1.0"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Decimal(9, 2), 14.20m), Is.EqualTo("14.20"));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Binary, new byte[] { 0, 1, 2, 3 }), Is.EqualTo("AAECAw=="));
            Assert.That(TransformFunctions.ToHumanString(Transform.Identity, PrimitiveType.Time, 3_600_000_000L + 1), Is.EqualTo("01:00:00.000001"));
        });
    }

    [Test]
    public void PartitionPath_DayAndBucket_FormatsAndEncodes()
    {
        var schema = new Schema(0, new[]
        {
            new NestedField(1, "event_time", true, PrimitiveType.TimestampTz),
            new NestedField(2, "entity_id", true, PrimitiveType.Long),
            new NestedField(3, "name", false, PrimitiveType.String),
            new NestedField(4, "ts", false, PrimitiveType.Timestamp),
        });
        var spec = PartitionSpecBuilder.Parse("day(event_time),bucket(16,entity_id),name,ts,void(name)", schema);
        var data = new PartitionData(new object?[] { Days(2024, 1, 3), 5, "a b/c=ü", Micros(2023, 5, 15, 14, 30, 45), null });
        Assert.That(TransformFunctions.PartitionPath(spec, schema, data),
            Is.EqualTo("event_time_day=2024-01-03/entity_id_bucket=5/name=a+b%2Fc%3D%C3%BC/ts=2023-05-15T14%3A30%3A45/name_null=null"));
    }

    [Test]
    public void PartitionPath_NullValue_WritesNull()
    {
        var schema = new Schema(0, new[] { new NestedField(1, "date", false, PrimitiveType.Date) });
        var spec = PartitionSpecBuilder.Parse("date", schema);
        Assert.That(TransformFunctions.PartitionPath(spec, schema, new PartitionData(new object?[] { null })), Is.EqualTo("date=null"));
    }
}
