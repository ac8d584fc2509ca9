using Floe.Core.Text;

namespace Floe.Formats.Csv;

/// <summary>
/// Parses plain decimal numbers such as <c>-123.45</c> without the general number parser: when the digits form an
/// integer m below 2^53 and there are k ≤ 22 fractional digits, m and 10^k are exact doubles and IEEE division
/// rounds m / 10^k correctly (Clinger's fast path), so the result equals <see cref="double.Parse(string)"/>.
/// Anything else (exponents, more digits, NaN, Infinity) falls back to <see cref="Utf8Values.TryParseDouble"/>.
/// </summary>
internal static class FastDouble
{
    private const int MaxDigits = 15;

    private static readonly double[] PowersOf10 =
    {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /// <summary>Parses <paramref name="text"/> (invariant culture); false when it is not a number.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        var i = 0;
        var negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            i = 1;
        }
        ulong mantissa = 0;
        var digits = 0;
        var fraction = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                mantissa = mantissa * 10 + d;
                digits++;
                if (seenPoint) fraction++;
            }
            else if (c == '.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                return Utf8Values.TryParseDouble(text, out value);
            }
        }
        if (digits == 0 || digits > MaxDigits)
        {
            return Utf8Values.TryParseDouble(text, out value);
        }
        var result = (double)mantissa;
        if (fraction > 0) result /= PowersOf10[fraction];
        value = negative ? -result : result;
        return true;
    }
}
