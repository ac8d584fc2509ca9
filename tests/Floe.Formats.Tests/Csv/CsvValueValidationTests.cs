using System.Text;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Formats.Csv;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Tests.Csv;

/// <summary>
/// Values that would be stored as something else are refused with the file, line and column: invalid UTF-8 in
/// string columns (a Python reader would fail on it later) and numbers beyond the column type's range (.NET would
/// store them as Infinity).
/// </summary>
[TestFixture]
public sealed class CsvValueValidationTests
{
    private static readonly Schema Schema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "name", false, PrimitiveType.String),
        new NestedField(3, "amount", false, PrimitiveType.Double),
        new NestedField(4, "ratio", false, PrimitiveType.Float),
    });

    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-csvval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Write(params byte[][] lines)
    {
        var path = Path.Combine(_dir, "in.csv");
        using var stream = File.Create(path);
        stream.Write("id,name,amount,ratio\n"u8);
        foreach (var line in lines)
        {
            stream.Write(line);
            stream.WriteByte((byte)'\n');
        }
        return path;
    }

    private static long Count(string path)
    {
        long n = 0;
        foreach (var batch in CsvBatchReader.Read(path, Schema)) n += batch.Length;
        return n;
    }

    private static byte[] Line(string prefix, byte[] raw, string suffix) =>
        Encoding.UTF8.GetBytes(prefix).Concat(raw).Concat(Encoding.UTF8.GetBytes(suffix)).ToArray();

    [TestCase(new byte[] { 0xFF, 0xFE, 0xC3 }, 1)]
    [TestCase(new byte[] { (byte)'a', (byte)'b', 0xC3 }, 3)]
    [TestCase(new byte[] { (byte)'x', 0xED, 0xA0, 0x80 }, 2)]   // an encoded surrogate
    [TestCase(new byte[] { 0xC0, 0xAF }, 1)]                    // an overlong encoding
    public void Read_InvalidUtf8InStringColumn_NamesFileLineColumnAndOffset(byte[] raw, int badByte)
    {
        var lines = new List<byte[]>();
        for (var i = 0; i < 10; i++) lines.Add(Encoding.UTF8.GetBytes($"{i},ünïcödé {i},1.5,2"));
        lines.Add(Line("10,", raw, ",1.5,2"));
        var path = Write(lines.ToArray());
        var ex = Assert.Throws<FloeException>(() => Count(path))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Is.EqualTo($"{path}: line 12, column 'name': value is not valid UTF-8 (byte {badByte} of the value)"));
    }

    [Test]
    public void Read_ValidMultibyteUtf8_IsKept()
    {
        var path = Write(Encoding.UTF8.GetBytes("1,日本語 😀 é,1,2"));
        var batch = CsvBatchReader.Read(path, Schema).Single();
        Assert.That(((StringArray)batch.Column(1)).GetString(0), Is.EqualTo("日本語 😀 é"));
    }

    [TestCase("1e400", "amount")]
    [TestCase("-1e309", "amount")]
    [TestCase("1" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000" + "0000000000", "amount")] // 1e310 in digits
    public void Read_DoubleBeyondRange_IsRefused(string value, string column)
    {
        var path = Write(Encoding.UTF8.GetBytes($"1,a,{value},2"));
        var ex = Assert.Throws<FloeException>(() => Count(path))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.StartWith($"{path}: line 2, column '{column}'").And.Contain("not a valid double"));
    }

    [Test]
    public void Read_FloatBeyondRange_IsRefused()
    {
        var path = Write(Encoding.UTF8.GetBytes("1,a,1,1e39"));
        var ex = Assert.Throws<FloeException>(() => Count(path))!;
        Assert.That(ex.Message, Does.StartWith($"{path}: line 2, column 'ratio'").And.Contain("out of range"));
    }

    [TestCase("Infinity", double.PositiveInfinity)]
    [TestCase("-Infinity", double.NegativeInfinity)]
    [TestCase("1.7976931348623157e308", double.MaxValue)]
    [TestCase("1e-400", 0.0)]
    public void Read_SpelledOutInfinityAndExtremes_AreKept(string value, double expected)
    {
        var path = Write(Encoding.UTF8.GetBytes($"1,a,{value},2"));
        var batch = CsvBatchReader.Read(path, Schema).Single();
        Assert.That(((DoubleArray)batch.Column(2)).GetValue(0), Is.EqualTo(expected));
    }

    // Found by the csv fuzz target (tests/Floe.Fuzz/corpora/csv/regression-decimal-*): both crashed in Arrow's builder.
    [TestCase("9999999999999999999", "integer digits")]
    [TestCase("100000000.00", "integer digits")]
    [TestCase("-100000000", "integer digits")]
    public void Decimal_BeyondPrecision_IsRefusedNamingLineAndColumn(string value, string why)
    {
        var path = Path.Combine(_dir, "dec.csv");
        File.WriteAllText(path, "id,price\n1,1.50\n2," + value + "\n");
        var schema = new Schema(0, new[] { new NestedField(1, "id", true, PrimitiveType.Long), new NestedField(2, "price", false, PrimitiveType.Decimal(10, 2)) });
        var e = Assert.Throws<FloeException>(() => Floe.Formats.Csv.CsvBatchReader.Read(path, schema).ToList())!;
        Assert.That(e.Message, Does.Contain("line 3").And.Contain("'price'").And.Contain(why));
    }

    [Test]
    public void Decimal_TrailingZerosBeyondScaleAndLargestValue_AreStored()
    {
        var path = Path.Combine(_dir, "dec.csv");
        File.WriteAllText(path, "id,price\n1,1.5000000000000000000000\n2,-99999999.99\n");
        var schema = new Schema(0, new[] { new NestedField(1, "id", true, PrimitiveType.Long), new NestedField(2, "price", false, PrimitiveType.Decimal(10, 2)) });
        var batch = Floe.Formats.Csv.CsvBatchReader.Read(path, schema).Single();
        var prices = (Decimal128Array)batch.Column(1);
        Assert.That(new[] { prices.GetValue(0), prices.GetValue(1) }, Is.EqualTo(new decimal?[] { 1.50m, -99999999.99m }));
    }
}
