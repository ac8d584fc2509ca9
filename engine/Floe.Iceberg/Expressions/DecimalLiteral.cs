using System.Globalization;
using System.Numerics;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Exact conversion of a literal to a <c>decimal(P,S)</c> column value. Text is parsed digit by digit (never through
/// a binary or 28-digit intermediate, which would round silently), scaled to S, and refused when it has non-zero
/// digits beyond S or more than P digits in all: a filter literal that the column cannot hold is a mistake, not a
/// value to round.
/// </summary>
internal static class DecimalLiteral
{
    /// <summary>The unscaled value of <paramref name="text"/> at <paramref name="type"/>'s scale, or null with <paramref name="why"/> set.</summary>
    public static BigInteger? TryParse(string text, PrimitiveType type, out string why)
    {
        why = "";
        var s = text.AsSpan().Trim();
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }
        var digits = BigInteger.Zero;
        var fraction = 0;
        var any = false;
        var seenPoint = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                digits = digits * 10 + (c - '0');
                if (seenPoint) fraction++;
                any = true;
            }
            else if (c == '.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }
        if (!any)
        {
            why = "expected a decimal number";
            return null;
        }
        long exponent = 0;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            if (!long.TryParse(s[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 1000)
            {
                why = "expected a decimal number";
                return null;
            }
            i = s.Length;
        }
        if (i != s.Length)
        {
            why = "expected a decimal number";
            return null;
        }
        // value = digits * 10^(exponent - fraction); bring it to the column scale.
        var shift = type.Scale + exponent - fraction;
        if (shift >= 0)
        {
            digits *= BigInteger.Pow(10, (int)Math.Min(shift, 2000));
        }
        else
        {
            var divisor = BigInteger.Pow(10, (int)Math.Min(-shift, 2000));
            digits = BigInteger.DivRem(digits, divisor, out var remainder);
            if (!remainder.IsZero)
            {
                why = $"it has more than {type.Scale} fractional digit(s)";
                return null;
            }
        }
        if (digits >= BigInteger.Pow(10, type.Precision))
        {
            why = $"it has more than {type.Precision} digit(s)";
            return null;
        }
        return negative ? -digits : digits;
    }

    /// <summary>The CLR decimal for an unscaled value (columns wider than 28 digits can hold values System.Decimal cannot).</summary>
    public static decimal ToClr(BigInteger unscaled, PrimitiveType type, Func<string, FloeException> bad)
    {
        try
        {
            return Conversions.ScaledDecimal(unscaled, type.Scale);
        }
        catch (FloeException)
        {
            throw bad("the value exceeds the 28-digit range of filter literals");
        }
    }
}
