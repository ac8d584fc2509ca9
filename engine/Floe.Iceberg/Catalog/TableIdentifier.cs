using Floe.Core.Errors;

namespace Floe.Iceberg.Catalog;

/// <summary>A table name within a namespace: <c>ns.table</c> or <c>a.b.table</c> (multi-level namespaces).</summary>
public sealed record TableIdentifier(string Namespace, string Name)
{
    /// <summary>Parses <c>NS.TABLE</c>; the last dot separates the table name.</summary>
    public static TableIdentifier Parse(string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
        {
            throw Errors.InvalidArgument($"table name '{text}' must be NAMESPACE.TABLE");
        }
        var id = new TableIdentifier(text[..dot], text[(dot + 1)..]);
        Validate(id.Namespace, "namespace");
        Validate(id.Name, "table name");
        return id;
    }

    /// <inheritdoc />
    public override string ToString() => Namespace + "." + Name;

    internal static void Validate(string part, string what)
    {
        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                throw Errors.InvalidArgument($"{what} '{part}' may contain only letters, digits, '_', '-' and '.'");
            }
        }
    }
}
