using System.Globalization;
using System.Text;
using Floe.Formats.Csv;

namespace Floe.Formats.Tests.Csv;

[TestFixture]
public sealed class FastDoubleTests
{
    [TestCase("0")]
    [TestCase("-0")]
    [TestCase("+1.5")]
    [TestCase("123.45")]
    [TestCase(".5")]
    [TestCase("1.")]
    [TestCase("999999999999999")]
    [TestCase("9999999999999999999.5")]
    [TestCase("0.1234567890123456789")]
    [TestCase("1e10")]
    [TestCase("-2.5E-3")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    public void TryParse_Text_EqualsDoubleParse(string text)
    {
        Assert.That(FastDouble.TryParse(Encoding.UTF8.GetBytes(text), out var v), Is.True);
        Assert.That(BitConverter.DoubleToInt64Bits(v), Is.EqualTo(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture))));
    }

    [TestCase("")]
    [TestCase("-")]
    [TestCase(".")]
    [TestCase("1.2.3")]
    [TestCase("abc")]
    [TestCase("1,5")]
    public void TryParse_NotANumber_ReturnsFalse(string text) =>
        Assert.That(FastDouble.TryParse(Encoding.UTF8.GetBytes(text), out _), Is.False);

    [Test]
    public void TryParse_RandomDecimals_EqualDoubleParseBitForBit()
    {
        var random = new Random(5);
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(1, 18);
            var sb = new StringBuilder();
            if (random.Next(2) == 0) sb.Append('-');
            var point = random.Next(0, digits + 1);
            for (var d = 0; d < digits; d++)
            {
                if (d == point && d > 0) sb.Append('.');
                sb.Append((char)('0' + random.Next(10)));
            }
            var text = sb.ToString();
            Assert.That(FastDouble.TryParse(Encoding.UTF8.GetBytes(text), out var v), Is.True, text);
            var expected = double.Parse(text, CultureInfo.InvariantCulture);
            if (BitConverter.DoubleToInt64Bits(v) != BitConverter.DoubleToInt64Bits(expected)) Assert.Fail($"{text}: {v:R} != {expected:R}");
        }
    }
}
