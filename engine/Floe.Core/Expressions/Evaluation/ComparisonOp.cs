namespace Floe.Core.Expressions.Evaluation;

/// <summary>A comparison of a column with a literal, as the shared evaluator runs it.</summary>
public enum ComparisonOp
{
    /// <summary><c>=</c></summary>
    Eq,

    /// <summary><c>!=</c></summary>
    NotEq,

    /// <summary><c>&lt;</c></summary>
    Lt,

    /// <summary><c>&lt;=</c></summary>
    LtEq,

    /// <summary><c>&gt;</c></summary>
    Gt,

    /// <summary><c>&gt;=</c></summary>
    GtEq,
}
