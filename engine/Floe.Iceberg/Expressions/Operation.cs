namespace Floe.Iceberg.Expressions;

/// <summary>Predicate operators. <c>between a and b</c> is parsed as <c>&gt;= a and &lt;= b</c>.</summary>
public enum Operation
{
    /// <summary><c>is null</c></summary>
    IsNull,
    /// <summary><c>is not null</c></summary>
    NotNull,
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
    /// <summary><c>in (..)</c></summary>
    In,
    /// <summary><c>not in (..)</c></summary>
    NotIn,
}
