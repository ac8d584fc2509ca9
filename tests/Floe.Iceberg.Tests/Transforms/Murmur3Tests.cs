using NUnit.Framework;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Tests.Transforms;

/// <summary>Every test value of the spec's Appendix B ("32-bit Hash Requirements").</summary>
[TestFixture]
public sealed class Murmur3Tests
{
    private static long Micros(int y, int mo, int d, int h, int mi, int s, long extraMicros = 0) =>
        (new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10 + extraMicros;

    private static IEnumerable<TestCaseData> SpecValues()
    {
        yield return new TestCaseData(PrimitiveType.Int, 34, 2017239379).SetName("Hash_Int34");
        yield return new TestCaseData(PrimitiveType.Long, 34L, 2017239379).SetName("Hash_Long34");
        yield return new TestCaseData(PrimitiveType.Decimal(4, 2), 14.20m, -500754589).SetName("Hash_Decimal14_20");
        yield return new TestCaseData(PrimitiveType.Date, (int)(new DateTime(2017, 11, 16) - DateTime.UnixEpoch).TotalDays, -653330422).SetName("Hash_Date");
        yield return new TestCaseData(PrimitiveType.Time, (22L * 3600 + 31 * 60 + 8) * 1_000_000, -662762989).SetName("Hash_Time");
        yield return new TestCaseData(PrimitiveType.Timestamp, Micros(2017, 11, 16, 22, 31, 8), -2047944441).SetName("Hash_Timestamp");
        yield return new TestCaseData(PrimitiveType.Timestamp, Micros(2017, 11, 16, 22, 31, 8, 1), -1207196810).SetName("Hash_TimestampPlus1us");
        // 2017-11-16T14:31:08-08:00 is 22:31:08 UTC.
        yield return new TestCaseData(PrimitiveType.TimestampTz, Micros(2017, 11, 16, 22, 31, 8), -2047944441).SetName("Hash_TimestampTz");
        yield return new TestCaseData(PrimitiveType.TimestampTz, Micros(2017, 11, 16, 22, 31, 8, 1), -1207196810).SetName("Hash_TimestampTzPlus1us");
        yield return new TestCaseData(PrimitiveType.TimestampNs, Micros(2017, 11, 16, 22, 31, 8) * 1000, -2047944441).SetName("Hash_TimestampNs");
        yield return new TestCaseData(PrimitiveType.TimestampNs, Micros(2017, 11, 16, 22, 31, 8, 1) * 1000 + 1, -1207196810).SetName("Hash_TimestampNsPlus1001ns");
        yield return new TestCaseData(PrimitiveType.TimestampTzNs, Micros(2017, 11, 16, 22, 31, 8) * 1000, -2047944441).SetName("Hash_TimestampTzNs");
        yield return new TestCaseData(PrimitiveType.TimestampTzNs, Micros(2017, 11, 16, 22, 31, 8, 1) * 1000 + 1, -1207196810).SetName("Hash_TimestampTzNsPlus1001ns");
        yield return new TestCaseData(PrimitiveType.String, "iceberg", 1210000089).SetName("Hash_String");
        yield return new TestCaseData(PrimitiveType.Uuid, Guid.Parse("f79c3e09-677c-4bbd-a479-3f349cb785e7"), 1488055340).SetName("Hash_Uuid");
        yield return new TestCaseData(PrimitiveType.Fixed(4), new byte[] { 0, 1, 2, 3 }, -188683207).SetName("Hash_Fixed");
        yield return new TestCaseData(PrimitiveType.Binary, new byte[] { 0, 1, 2, 3 }, -188683207).SetName("Hash_Binary");
        yield return new TestCaseData(PrimitiveType.Boolean, true, 1392991556).SetName("Hash_BooleanTrue");
        yield return new TestCaseData(PrimitiveType.Float, 1.0f, -142385009).SetName("Hash_Float1");
        yield return new TestCaseData(PrimitiveType.Float, 0.0f, 1669671676).SetName("Hash_Float0");
        yield return new TestCaseData(PrimitiveType.Float, -0.0f, 1669671676).SetName("Hash_FloatNegative0");
        yield return new TestCaseData(PrimitiveType.Double, 1.0d, -142385009).SetName("Hash_Double1");
        yield return new TestCaseData(PrimitiveType.Double, 0.0d, 1669671676).SetName("Hash_Double0");
        yield return new TestCaseData(PrimitiveType.Double, -0.0d, 1669671676).SetName("Hash_DoubleNegative0");
    }

    [TestCaseSource(nameof(SpecValues))]
    public void Hash_SpecAppendixValue_Matches(PrimitiveType type, object value, int expected) =>
        Assert.That(TransformFunctions.Hash(type, value), Is.EqualTo(expected));

    [Test]
    public void HashDouble_AllNaNs_Canonicalized()
    {
        var other = BitConverter.Int64BitsToDouble(0x7ff0000000000001L);
        Assert.That(Murmur3.HashDouble(other), Is.EqualTo(Murmur3.HashDouble(double.NaN)));
    }

    [Test]
    public void HashBytes_AllTailLengths_MatchReferenceValues()
    {
        // Reference values of MurmurHash3_x86_32 with seed 0 (from the SMHasher reference implementation).
        Assert.That(Murmur3.HashBytes(ReadOnlySpan<byte>.Empty), Is.EqualTo(0));
        Assert.That((uint)Murmur3.HashBytes("a"u8), Is.EqualTo(0x3c2569b2u));
        Assert.That((uint)Murmur3.HashBytes("ab"u8), Is.EqualTo(0x9bbfd75fu));
        Assert.That((uint)Murmur3.HashBytes("abc"u8), Is.EqualTo(0xb3dd93fau));
        Assert.That((uint)Murmur3.HashBytes("abcd"u8), Is.EqualTo(0x43ed676au));
    }

    [Test]
    public void HashInt_EqualsHashLongOfWidenedValue([Values(0, 1, -1, int.MaxValue, int.MinValue, 34)] int v) =>
        Assert.That(Murmur3.HashInt(v), Is.EqualTo(Murmur3.HashLong(v)));
}
