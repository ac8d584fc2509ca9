using System.Text;
using Floe.Core.Errors;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Parses filter text such as
/// <c>amount &gt; 10 and event_time &gt;= '2024-01-03T00:00:00Z' or name in ('a','b') and x between 1 and 5 and y is null and not (z = 3)</c>
/// into a bound <see cref="Expression"/>. Precedence: <c>not</c> over <c>and</c> over <c>or</c>; keywords are
/// case-insensitive; identifiers may be dotted (nested struct fields) or double-quoted; strings use single quotes
/// (<c>''</c> escapes a quote). Literals are converted to the column type (see <see cref="BoundPredicate"/>).
/// </summary>
public sealed class ExpressionParser
{
    private readonly Schema _schema;
    private readonly List<Token> _tokens;
    private int _pos;
    private int _depth;
    private const int LeftDeepChain = 16;

    /// <summary>How deeply parentheses and <c>not</c> may nest.</summary>
    public const int MaxNesting = 256;

    private ExpressionParser(string text, Schema schema)
    {
        _schema = schema;
        _tokens = Tokenize(text);
    }

    private enum Kind { Ident, QuotedIdent, String, Number, Op, LParen, RParen, Comma, End }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    /// <summary>Parses and binds <paramref name="text"/> against <paramref name="schema"/>.</summary>
    /// <exception cref="FloeException">
    /// <see cref="FloeErrorCode.InvalidArgument"/> naming the character position and the offending token, column or literal.
    /// </exception>
    public static Expression Parse(string text, Schema schema)
    {
        var p = new ExpressionParser(text, schema);
        if (p.Peek.Kind == Kind.End) throw Errors.InvalidArgument("filter expression is empty");
        var e = p.ParseOr();
        if (p.Peek.Kind != Kind.End) throw p.Error(p.Peek, "expected 'and', 'or' or the end of the expression");
        return e;
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private bool IsKeyword(string keyword) =>
        Peek.Kind == Kind.Ident && string.Equals(Peek.Text, keyword, StringComparison.OrdinalIgnoreCase);

    private bool IsKeywordAt(int offset, string keyword) =>
        _pos + offset < _tokens.Count && _tokens[_pos + offset].Kind == Kind.Ident &&
        string.Equals(_tokens[_pos + offset].Text, keyword, StringComparison.OrdinalIgnoreCase);

    private void ExpectKeyword(string keyword)
    {
        if (!IsKeyword(keyword)) throw Error(Peek, $"expected '{keyword}'");
        _pos++;
    }

    private Expression ParseOr()
    {
        var first = ParseAnd();
        if (!IsKeyword("or")) return first;
        var terms = new List<Expression> { first };
        while (IsKeyword("or"))
        {
            _pos++;
            terms.Add(ParseAnd());
        }
        return Balanced(terms, 0, terms.Count, isAnd: false);
    }

    private Expression ParseAnd()
    {
        var first = ParseUnary();
        if (!IsKeyword("and")) return first;
        var terms = new List<Expression> { first };
        while (IsKeyword("and"))
        {
            _pos++;
            terms.Add(ParseUnary());
        }
        return Balanced(terms, 0, terms.Count, isAnd: true);
    }

    // 'and' and 'or' are associative: a chain of n terms becomes a tree of depth log2(n), not n, so long
    // generated filters (a = 1 or a = 2 or ...) stay far inside the depth limit of the evaluators.
    private static Expression Balanced(List<Expression> terms, int start, int count, bool isAnd)
    {
        if (count <= LeftDeepChain)
        {
            // Short chains keep the left-deep shape people read them in.
            var tree = terms[start];
            for (var i = start + 1; i < start + count; i++) tree = isAnd ? new And(tree, terms[i]) : new Or(tree, terms[i]);
            return tree;
        }
        var half = (count + 1) / 2;
        var left = Balanced(terms, start, half, isAnd);
        var right = Balanced(terms, start + half, count - half, isAnd);
        return isAnd ? new And(left, right) : new Or(left, right);
    }

    private Expression ParseUnary()
    {
        if (IsKeyword("not"))
        {
            var notToken = Next();
            Enter(notToken);
            var negated = new Not(ParseUnary());
            _depth--;
            return negated;
        }
        if (Peek.Kind == Kind.LParen)
        {
            var open = Next();
            Enter(open);
            var inner = ParseOr();
            if (Peek.Kind != Kind.RParen) throw Error(Peek, "expected ')'");
            _pos++;
            _depth--;
            return inner;
        }
        if (IsKeyword("true") && !IsOperatorAt(1))
        {
            _pos++;
            return AlwaysTrue.Instance;
        }
        if (IsKeyword("false") && !IsOperatorAt(1))
        {
            _pos++;
            return AlwaysFalse.Instance;
        }
        return ParsePredicate();
    }

    // Parentheses and 'not' recurse: cap how deep, so hostile input is an argument error, not a stack overflow.
    private void Enter(Token at)
    {
        if (++_depth > MaxNesting) throw Error(at, $"expression nested deeper than {MaxNesting} levels");
    }

    private bool IsOperatorAt(int offset) =>
        _pos + offset < _tokens.Count && (_tokens[_pos + offset].Kind == Kind.Op || IsKeywordAt(offset, "is") ||
                                          IsKeywordAt(offset, "in") || IsKeywordAt(offset, "between") || IsKeywordAt(offset, "not"));

    private Expression ParsePredicate()
    {
        var columnToken = Next();
        if (columnToken.Kind is not (Kind.Ident or Kind.QuotedIdent)) throw Error(columnToken, "expected a column name");
        var field = _schema.FindField(columnToken.Text)
            ?? throw Error(columnToken, $"unknown column '{columnToken.Text}' (columns: {string.Join(", ", _schema.Fields.Select(f => f.Name))})");
        if (field.Type is not PrimitiveType type) throw Error(columnToken, $"column '{columnToken.Text}' has nested type {field.Type} and cannot be compared");
        var column = columnToken.Text;

        BoundPredicate Make(Operation op, params object[] lits) => new(field.Id, column, type, op, lits);

        if (IsKeyword("is"))
        {
            _pos++;
            var negated = IsKeyword("not");
            if (negated) _pos++;
            ExpectKeyword("null");
            return Make(negated ? Operation.NotNull : Operation.IsNull);
        }
        var not = false;
        if (IsKeyword("not"))
        {
            not = true;
            _pos++;
            if (!IsKeyword("in") && !IsKeyword("between")) throw Error(Peek, "expected 'in' or 'between' after 'not'");
        }
        if (IsKeyword("between"))
        {
            _pos++;
            var low = ParseLiteral(type, column);
            ExpectKeyword("and");
            var high = ParseLiteral(type, column);
            Expression between = new And(Make(Operation.GtEq, low), Make(Operation.LtEq, high));
            return not ? new Not(between) : between;
        }
        if (IsKeyword("in"))
        {
            _pos++;
            if (Peek.Kind != Kind.LParen) throw Error(Peek, "expected '(' after 'in'");
            _pos++;
            var values = new List<object> { ParseLiteral(type, column) };
            while (Peek.Kind == Kind.Comma)
            {
                _pos++;
                values.Add(ParseLiteral(type, column));
            }
            if (Peek.Kind != Kind.RParen) throw Error(Peek, "expected ',' or ')' in the 'in' list");
            _pos++;
            return Make(not ? Operation.NotIn : Operation.In, values.ToArray());
        }
        var opToken = Next();
        if (opToken.Kind != Kind.Op) throw Error(opToken, $"expected a comparison operator, 'in', 'between' or 'is' after column '{column}'");
        var op = opToken.Text switch
        {
            "=" or "==" => Operation.Eq,
            "!=" or "<>" => Operation.NotEq,
            "<" => Operation.Lt,
            "<=" => Operation.LtEq,
            ">" => Operation.Gt,
            _ => Operation.GtEq,
        };
        return Make(op, ParseLiteral(type, column));
    }

    private object ParseLiteral(PrimitiveType type, string column)
    {
        var t = Next();
        switch (t.Kind)
        {
            case Kind.Number:
                return Literals.FromText(type, t.Text, isNumber: true, column, t.Position);
            case Kind.String:
                return Literals.FromText(type, t.Text, isNumber: false, column, t.Position);
            case Kind.Ident when t.Text.Equals("null", StringComparison.OrdinalIgnoreCase):
                throw Error(t, $"comparison with null is never true; use '{column} is null'");
            case Kind.Ident when t.Text.Equals("true", StringComparison.OrdinalIgnoreCase) || t.Text.Equals("false", StringComparison.OrdinalIgnoreCase):
                return Literals.FromText(type, t.Text, isNumber: false, column, t.Position);
            default:
                throw Error(t, $"expected a literal for column '{column}'");
        }
    }

    private FloeException Error(Token t, string why)
    {
        var found = t.Kind == Kind.End ? "end of expression" : $"'{t.Text}'";
        return Errors.InvalidArgument($"filter expression at character {t.Position} ({found}): {why}");
    }

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            var start = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(') { tokens.Add(new(Kind.LParen, "(", start)); i++; }
            else if (c == ')') { tokens.Add(new(Kind.RParen, ")", start)); i++; }
            else if (c == ',') { tokens.Add(new(Kind.Comma, ",", start)); i++; }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : "";
                if (two is "<=" or ">=" or "!=" or "<>" or "==")
                {
                    tokens.Add(new(Kind.Op, two, start));
                    i += 2;
                }
                else if (c == '!')
                {
                    throw Errors.InvalidArgument($"filter expression at character {start}: '!' must be followed by '='");
                }
                else
                {
                    tokens.Add(new(Kind.Op, c.ToString(), start));
                    i++;
                }
            }
            else if (c is '\'' or '"' or '`')
            {
                var sb = new StringBuilder();
                i++;
                var closed = false;
                while (i < s.Length)
                {
                    if (s[i] == c)
                    {
                        if (i + 1 < s.Length && s[i + 1] == c)
                        {
                            sb.Append(c);
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    sb.Append(s[i++]);
                }
                if (!closed) throw Errors.InvalidArgument($"filter expression at character {start}: unterminated quote {c}");
                tokens.Add(new(c == '\'' ? Kind.String : Kind.QuotedIdent, sb.ToString(), start));
            }
            else if (char.IsDigit(c) || ((c is '-' or '+' or '.') && i + 1 < s.Length && (char.IsDigit(s[i + 1]) || s[i + 1] == '.')))
            {
                var j = i + 1;
                while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] == '.' || ((s[j] is '-' or '+') && (s[j - 1] is 'e' or 'E'))))
                {
                    j++;
                }
                tokens.Add(new(Kind.Number, s[i..j], start));
                i = j;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var j = i + 1;
                while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] is '_' or '.' or '$')) j++;
                tokens.Add(new(Kind.Ident, s[i..j], start));
                i = j;
            }
            else
            {
                throw Errors.InvalidArgument($"filter expression at character {start}: unexpected character '{c}'");
            }
        }
        tokens.Add(new(Kind.End, "", s.Length + 1));
        return tokens;
    }
}
