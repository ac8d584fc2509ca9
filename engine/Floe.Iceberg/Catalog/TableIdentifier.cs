using Floe.Core.Errors;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// A table name within a namespace: <c>ns.table</c> or <c>a.b.table</c> (multi-level namespaces). Every part is
/// checked when an identifier is made, because the parts become folder names under the warehouse: a part is 1–255
/// characters of ASCII letters, digits, <c>_</c> and <c>-</c>, and does not start with <c>-</c>. So no identifier
/// can spell an absolute path, a parent folder (<c>..</c>), an empty level or a hidden folder.
/// </summary>
public sealed record TableIdentifier
{
    /// <summary>The longest part accepted (a common file-system name limit).</summary>
    public const int MaxPartLength = 255;

    /// <summary>Creates an identifier; throws InvalidArgument naming the bad part.</summary>
    public TableIdentifier(string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(name);
        ValidateNamespace(@namespace);
        ValidatePart(name, "table name", name);
        Namespace = @namespace;
        Name = name;
    }

    /// <summary>The namespace, levels separated by dots.</summary>
    public string Namespace { get; }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The namespace levels, outermost first.</summary>
    public string[] NamespaceLevels => Namespace.Split('.');

    /// <summary>Parses <c>NS.TABLE</c>; the last dot separates the table name.</summary>
    public static TableIdentifier Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
        {
            throw Errors.InvalidArgument($"table name '{Shown(text)}' must be NAMESPACE.TABLE");
        }
        return new TableIdentifier(text[..dot], text[(dot + 1)..]);
    }

    /// <summary>Whether <paramref name="text"/> is a valid identifier.</summary>
    public static bool IsValid(string text)
    {
        try
        {
            Parse(text);
            return true;
        }
        catch (FloeException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Namespace + "." + Name;

    /// <summary>Checks a (possibly multi-level) namespace: dot-separated parts, each a valid part.</summary>
    internal static void ValidateNamespace(string ns)
    {
        if (ns.Length == 0) throw Errors.InvalidArgument("namespace is empty");
        foreach (var level in ns.Split('.'))
        {
            ValidatePart(level, "namespace", ns);
        }
    }

    private static void ValidatePart(string part, string what, string whole)
    {
        if (part.Length == 0)
        {
            throw Errors.InvalidArgument($"{what} '{Shown(whole)}' has an empty part (a leading, trailing or doubled '.')");
        }
        if (part.Length > MaxPartLength)
        {
            throw Errors.InvalidArgument($"{what} '{Shown(whole)}': a part is longer than {MaxPartLength} characters");
        }
        if (part[0] == '-')
        {
            throw Errors.InvalidArgument($"{what} '{Shown(whole)}': a part may not start with '-'");
        }
        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw Errors.InvalidArgument($"{what} '{Shown(whole)}' may contain only ASCII letters, digits, '_' and '-' (and '.' between namespace levels)");
            }
        }
    }

    /// <summary>The text as shown in a message: control characters escaped, long text cut.</summary>
    private static string Shown(string text)
    {
        var shown = text.Length > 80 ? text[..80] + "…" : text;
        var builder = new System.Text.StringBuilder(shown.Length);
        foreach (var c in shown) builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return builder.ToString();
    }
}
