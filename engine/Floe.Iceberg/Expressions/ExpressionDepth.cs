using Floe.Core.Errors;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// The depth limit of filter expressions. Evaluators, binders and projections walk trees recursively; capping the
/// depth where nodes are built keeps every walk bounded (a hostile filter of 60,000 nested parentheses must be an
/// argument error, not a stack overflow that kills the host process).
/// </summary>
internal static class ExpressionDepth
{
    /// <summary>The deepest tree of <see cref="Expression"/> nodes that may be built.</summary>
    public const int MaxDepth = 1024;

    /// <summary>The depth of a node above its two children; throws when it exceeds <see cref="MaxDepth"/>.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/>: too deep.</exception>
    public static int Above(Expression left, Expression right) => Check(Math.Max(left.Depth, right.Depth) + 1);

    /// <summary>The depth of a node above <paramref name="child"/>; throws when it exceeds <see cref="MaxDepth"/>.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/>: too deep.</exception>
    public static int Above(Expression child) => Check(child.Depth + 1);

    private static int Check(int depth) =>
        depth <= MaxDepth ? depth : throw Errors.InvalidArgument($"filter expression nested deeper than {MaxDepth} levels");
}
