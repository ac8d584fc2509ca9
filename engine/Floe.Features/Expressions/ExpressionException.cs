namespace Floe.Features.Expressions;

/// <summary>A syntax or type error in an expression; callers wrap it in a FloeException naming the definition path.</summary>
internal sealed class ExpressionException : Exception
{
    public ExpressionException(string message) : base(message) { }
}
