namespace Floe.Iceberg.Expressions;

/// <summary>What a three-way comparison means for an ordering operator, shared by every evaluator that compares values.</summary>
internal static class OperationOrder
{
    /// <summary>
    /// Whether a value that compares to the literal as <paramref name="comparison"/> (negative, zero, positive)
    /// satisfies <paramref name="op"/> (one of Eq, NotEq, Lt, LtEq, Gt, GtEq).
    /// </summary>
    public static bool Holds(Operation op, int comparison) => op switch
    {
        Operation.Eq => comparison == 0,
        Operation.NotEq => comparison != 0,
        Operation.Lt => comparison < 0,
        Operation.LtEq => comparison <= 0,
        Operation.Gt => comparison > 0,
        _ => comparison >= 0,
    };
}
