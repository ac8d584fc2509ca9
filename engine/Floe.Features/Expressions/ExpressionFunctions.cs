namespace Floe.Features.Expressions;

/// <summary>The built-in functions and their arities.</summary>
internal static class ExpressionFunctions
{
    /// <summary>Throws when <paramref name="name"/> is unknown or called with the wrong number of arguments.</summary>
    public static void CheckArity(string name, int count)
    {
        (int min, int max) = name switch
        {
            "coalesce" => (1, int.MaxValue),
            "least" or "greatest" => (1, int.MaxValue),
            "if" or "iif" => (3, 3),
            "safe_div" => (2, 3),
            "abs" or "sqrt" or "ln" or "log10" or "exp" or "floor" or "ceil" or "round" or "is_nan" => (1, 1),
            "pow" or "power" => (2, 2),
            _ => throw new ExpressionException($"unknown function '{name}'"),
        };
        if (count < min || count > max)
        {
            throw new ExpressionException($"function '{name}' takes {(min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{min}+")} argument(s), got {count}");
        }
    }
}
