namespace Floe.Core.Expressions;

/// <summary>A syntax or type error in an expression; callers wrap it in a FloeException naming where the text came from.</summary>
public sealed class ExpressionException : Exception
{
    /// <summary>Creates the error with its one-line message.</summary>
    public ExpressionException(string message) : base(message) { }
}
