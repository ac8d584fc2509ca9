using System.Globalization;

namespace Floe.Features.Expressions;

/// <summary>
/// Recursive-descent parser for the row expression language (engine/Floe.Features/docs/features.md, "Expressions"):
/// <c>or</c> &lt; <c>and</c> &lt; <c>not</c> &lt; comparison / <c>is [not] null</c> &lt; <c>+ -</c> &lt; <c>* / %</c> &lt; unary minus.
/// </summary>
internal sealed class ExpressionParser
{
    /// <summary>
    /// The deepest an expression may nest, counting parentheses, calls, unary operators and operator chains alike.
    /// The evaluator and the planners walk trees recursively, so hostile input must stop here with an error.
    /// </summary>
    public const int MaxDepth = 256;

    private readonly string _text;
    private int _pos;
    private int _depth;

    private ExpressionParser(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ExpressionException"/> naming the offending position.</summary>
    public static Expr Parse(string text)
    {
        var p = new ExpressionParser(text);
        p.SkipSpace();
        if (p._pos >= text.Length)
        {
            throw new ExpressionException("empty expression");
        }
        var e = p.ParseOr();
        p.SkipSpace();
        if (p._pos < text.Length)
        {
            throw p.Error($"unexpected '{text[p._pos]}'");
        }
        // Chains (a + b + c ...) are built in loops, not by recursion: measure the finished tree as well.
        if (ExprDepth.Measure(e) > MaxDepth)
        {
            throw new ExpressionException($"expression nested deeper than {MaxDepth} levels");
        }
        return e;
    }

    /// <summary>Collects the names of every column reference in <paramref name="e"/>.</summary>
    public static void CollectColumns(Expr e, HashSet<string> into)
    {
        switch (e)
        {
            case ColumnExpr c: into.Add(c.Name); break;
            case UnaryExpr u: CollectColumns(u.Operand, into); break;
            case BinaryExpr b: CollectColumns(b.Left, into); CollectColumns(b.Right, into); break;
            case CallExpr call: foreach (var a in call.Args) { CollectColumns(a, into); } break;
            case CaseExpr ce:
                foreach (var (w, t) in ce.Branches) { CollectColumns(w, into); CollectColumns(t, into); }
                if (ce.Else is not null) { CollectColumns(ce.Else, into); }
                break;
            case CastExpr cast: CollectColumns(cast.Operand, into); break;
            case IsNullExpr isn: CollectColumns(isn.Operand, into); break;
        }
    }

    private ExpressionException Error(string message) => new($"{message} at position {_pos + 1}");

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private bool TrySymbol(string symbol)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, symbol, 0, symbol.Length) == 0)
        {
            _pos += symbol.Length;
            return true;
        }
        return false;
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        int end = _pos + keyword.Length;
        if (end <= _text.Length && string.Compare(_text, _pos, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (end == _text.Length || !IsIdentChar(_text[end])))
        {
            _pos = end;
            return true;
        }
        return false;
    }

    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private Expr ParseOr()
    {
        Enter();
        var left = ParseAnd();
        while (TryKeyword("or") || TrySymbol("||"))
        {
            left = new BinaryExpr("or", left, ParseAnd());
        }
        _depth--;
        return left;
    }

    // Every recursion of the grammar (parentheses, calls, case, cast, not, unary minus) passes through here.
    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"expression nested deeper than {MaxDepth} levels");
        }
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (TryKeyword("and") || TrySymbol("&&"))
        {
            left = new BinaryExpr("and", left, ParseNot());
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (TryKeyword("not"))
        {
            Enter();
            var not = new UnaryExpr("not", ParseNot());
            _depth--;
            return not;
        }
        SkipSpace();
        if (_pos < _text.Length && _text[_pos] == '!' && (_pos + 1 >= _text.Length || _text[_pos + 1] != '='))
        {
            _pos++;
            Enter();
            var bang = new UnaryExpr("not", ParseNot());
            _depth--;
            return bang;
        }
        return ParseComparison();
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        if (TryKeyword("is"))
        {
            bool negated = TryKeyword("not");
            if (!TryKeyword("null"))
            {
                throw Error("expected 'null' after 'is'");
            }
            return new IsNullExpr(left, negated);
        }
        string? op = null;
        if (TrySymbol("==")) { op = "="; }
        else if (TrySymbol("!=") || TrySymbol("<>")) { op = "!="; }
        else if (TrySymbol("<=")) { op = "<="; }
        else if (TrySymbol(">=")) { op = ">="; }
        else if (TrySymbol("<")) { op = "<"; }
        else if (TrySymbol(">")) { op = ">"; }
        else if (TrySymbol("=")) { op = "="; }
        return op is null ? left : new BinaryExpr(op, left, ParseAdditive());
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            if (TrySymbol("+")) { left = new BinaryExpr("+", left, ParseMultiplicative()); }
            else if (TrySymbol("-")) { left = new BinaryExpr("-", left, ParseMultiplicative()); }
            else { return left; }
        }
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            if (TrySymbol("*")) { left = new BinaryExpr("*", left, ParseUnary()); }
            else if (TrySymbol("/")) { left = new BinaryExpr("/", left, ParseUnary()); }
            else if (TrySymbol("%")) { left = new BinaryExpr("%", left, ParseUnary()); }
            else { return left; }
        }
    }

    private Expr ParseUnary()
    {
        if (TrySymbol("-"))
        {
            Enter();
            var negated = new UnaryExpr("-", ParseUnary());
            _depth--;
            return negated;
        }
        if (TrySymbol("+"))
        {
            Enter();
            var plus = ParseUnary();
            _depth--;
            return plus;
        }
        return ParsePrimary();
    }

    private Expr ParsePrimary()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of expression");
        }
        char c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = ParseOr();
            if (!TrySymbol(")"))
            {
                throw Error("expected ')'");
            }
            return inner;
        }
        if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
        {
            return ParseNumber();
        }
        if (c == '\'')
        {
            return ParseString();
        }
        if (c == '"' || c == '`')
        {
            // Quoted identifier for column names that are not plain identifiers.
            int close = _text.IndexOf(c, _pos + 1);
            if (close < 0)
            {
                throw Error("unterminated quoted identifier");
            }
            string name = _text.Substring(_pos + 1, close - _pos - 1);
            _pos = close + 1;
            return new ColumnExpr(name);
        }
        if (!IsIdentStart(c))
        {
            throw Error($"unexpected '{c}'");
        }
        if (TryKeyword("case")) { return ParseCase(); }
        if (TryKeyword("cast")) { return ParseCast(); }
        if (TryKeyword("true")) { return new LiteralExpr(true); }
        if (TryKeyword("false")) { return new LiteralExpr(false); }
        if (TryKeyword("null")) { return new LiteralExpr(null); }
        int start = _pos;
        while (_pos < _text.Length && IsIdentChar(_text[_pos]))
        {
            _pos++;
        }
        string ident = _text[start.._pos];
        if (TrySymbol("("))
        {
            var args = new List<Expr>();
            if (!TrySymbol(")"))
            {
                do
                {
                    args.Add(ParseOr());
                }
                while (TrySymbol(","));
                if (!TrySymbol(")"))
                {
                    throw Error("expected ')' or ','");
                }
            }
            string fn = ident.ToLowerInvariant();
            ExpressionFunctions.CheckArity(fn, args.Count);
            return new CallExpr(fn, args);
        }
        return new ColumnExpr(ident);
    }

    private Expr ParseNumber()
    {
        int start = _pos;
        bool isFloat = false;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) { _pos++; }
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            isFloat = true;
            _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) { _pos++; }
        }
        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            isFloat = true;
            _pos++;
            if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-')) { _pos++; }
            int digits = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) { _pos++; }
            if (digits == _pos) { throw Error("malformed exponent"); }
        }
        if (_pos < _text.Length && IsIdentStart(_text[_pos]))
        {
            throw Error("malformed number");
        }
        var span = _text.AsSpan(start, _pos - start);
        if (!isFloat && long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out long l))
        {
            return new LiteralExpr(l);
        }
        return new LiteralExpr(double.Parse(span, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private Expr ParseString()
    {
        var sb = new System.Text.StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }
            char c = _text[_pos++];
            if (c == '\'')
            {
                if (_pos < _text.Length && _text[_pos] == '\'')
                {
                    sb.Append('\'');
                    _pos++;
                    continue;
                }
                return new LiteralExpr(sb.ToString());
            }
            sb.Append(c);
        }
    }

    private Expr ParseCase()
    {
        var branches = new List<(Expr, Expr)>();
        while (TryKeyword("when"))
        {
            var when = ParseOr();
            if (!TryKeyword("then"))
            {
                throw Error("expected 'then'");
            }
            branches.Add((when, ParseOr()));
        }
        if (branches.Count == 0)
        {
            throw Error("expected 'when'");
        }
        Expr? otherwise = TryKeyword("else") ? ParseOr() : null;
        if (!TryKeyword("end"))
        {
            throw Error("expected 'end'");
        }
        return new CaseExpr(branches, otherwise);
    }

    private Expr ParseCast()
    {
        if (!TrySymbol("("))
        {
            throw Error("expected '(' after cast");
        }
        var operand = ParseOr();
        if (!TryKeyword("as"))
        {
            throw Error("expected 'as'");
        }
        SkipSpace();
        int start = _pos;
        while (_pos < _text.Length && IsIdentChar(_text[_pos])) { _pos++; }
        ValueKind target = _text[start.._pos].ToLowerInvariant() switch
        {
            "double" or "float" or "float64" or "real" => ValueKind.Float64,
            "bigint" or "long" or "int" or "integer" or "int64" => ValueKind.Int64,
            "bool" or "boolean" => ValueKind.Bool,
            "string" or "varchar" or "text" => ValueKind.String,
            "timestamp" => ValueKind.Timestamp,
            var other => throw Error($"unknown type '{other}'"),
        };
        if (!TrySymbol(")"))
        {
            throw Error("expected ')'");
        }
        return new CastExpr(operand, target);
    }
}
