using System.Globalization;
using System.Text;

namespace Floe.Core.Expressions;

/// <summary>
/// The one parser of Floe's expression language, used by table filters (<c>--filter</c>, deletes, the C ABI) and by
/// feature definitions alike. Precedence, loosest first: <c>or</c> (<c>||</c>), <c>and</c> (<c>&amp;&amp;</c>),
/// <c>not</c> (<c>!</c>), comparisons (<c>= == != &lt;&gt; &lt; &lt;= &gt; &gt;=</c>, <c>is [not] null</c>,
/// <c>[not] in (…)</c>, <c>[not] between … and …</c>), <c>+ -</c>, <c>* / %</c>, unary minus. Also <c>case when … then
/// … [else …] end</c>, <c>cast(x as type)</c> and function calls <c>f(a, b)</c>. Keywords are case-insensitive;
/// identifiers may be dotted (struct fields) or quoted with <c>"</c> or <c>`</c>; strings use single quotes, with
/// <c>''</c> for a quote. Every error names the character position and what was found there.
/// </summary>
public static class ExpressionSyntax
{
    /// <summary>
    /// The deepest an expression may nest (parentheses, calls, <c>not</c>, unary minus and operator chains alike):
    /// evaluators and binders walk trees recursively, so hostile input must stop here with an error.
    /// </summary>
    public const int MaxDepth = 256;

    // Chains of 'and'/'or' longer than this become balanced trees (depth log2 n), so long generated filters
    // (a = 1 or a = 2 or ...) stay inside MaxDepth; shorter ones keep the left-deep shape people read them in.
    private const int LeftDeepChain = 16;

    /// <summary>Parses <paramref name="text"/> into a syntax tree.</summary>
    /// <exception cref="ExpressionException">A syntax error, naming the character position and the token found.</exception>
    public static Expr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(Tokenize(text));
        return parser.ParseAll();
    }

    private enum Kind { Ident, QuotedIdent, String, Number, Symbol, End }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    private sealed class Parser(List<Token> tokens)
    {
        private int _pos;
        private int _depth;

        private Token Peek => tokens[_pos];

        public Expr ParseAll()
        {
            if (Peek.Kind == Kind.End) throw new ExpressionException("the expression is empty");
            // The top level is not nesting: MaxDepth counts parentheses, calls, 'not' and signs around it.
            _depth = -1;
            var e = ParseOr();
            if (Peek.Kind != Kind.End) throw Error(Peek, "expected 'and', 'or', an operator or the end of the expression");
            // Operator chains (a + b + c ...) are built in loops, not by recursion: measure the finished tree too.
            if (ExprDepth.Measure(e) > MaxDepth) throw new ExpressionException($"expression nested deeper than {MaxDepth} levels");
            return e;
        }

        private Token Next() => tokens[_pos++];

        private bool IsKeyword(string keyword, int offset = 0) =>
            _pos + offset < tokens.Count && tokens[_pos + offset].Kind == Kind.Ident &&
            string.Equals(tokens[_pos + offset].Text, keyword, StringComparison.OrdinalIgnoreCase);

        private bool TryKeyword(string keyword)
        {
            if (!IsKeyword(keyword)) return false;
            _pos++;
            return true;
        }

        private void ExpectKeyword(string keyword)
        {
            if (!TryKeyword(keyword)) throw Error(Peek, $"expected '{keyword}'");
        }

        private bool TrySymbol(string symbol)
        {
            if (Peek.Kind != Kind.Symbol || Peek.Text != symbol) return false;
            _pos++;
            return true;
        }

        private void ExpectSymbol(string symbol, string why)
        {
            if (!TrySymbol(symbol)) throw Error(Peek, why);
        }

        // Every recursion of the grammar passes through here, so hostile nesting is an error, not a stack overflow.
        private void Enter(Token at)
        {
            if (++_depth > MaxDepth) throw Error(at, $"expression nested deeper than {MaxDepth} levels");
        }

        private Expr ParseOr()
        {
            Enter(Peek);
            var terms = new List<Expr> { ParseAnd() };
            while (TryKeyword("or") || TrySymbol("||")) terms.Add(ParseAnd());
            _depth--;
            return Chain("or", terms, 0, terms.Count);
        }

        private Expr ParseAnd()
        {
            var terms = new List<Expr> { ParseNot() };
            while (TryKeyword("and") || TrySymbol("&&")) terms.Add(ParseNot());
            return Chain("and", terms, 0, terms.Count);
        }

        // 'and' and 'or' are associative (three-valued logic included), so the shape of a chain does not change its value.
        private static Expr Chain(string op, List<Expr> terms, int start, int count)
        {
            if (count <= LeftDeepChain)
            {
                var tree = terms[start];
                for (var i = start + 1; i < start + count; i++) tree = new BinaryExpr(op, tree, terms[i]);
                return tree;
            }
            var half = (count + 1) / 2;
            return new BinaryExpr(op, Chain(op, terms, start, half), Chain(op, terms, start + half, count - half));
        }

        private Expr ParseNot()
        {
            if (IsKeyword("not") || (Peek.Kind == Kind.Symbol && Peek.Text == "!"))
            {
                Enter(Next());
                var not = new UnaryExpr("not", ParseNot());
                _depth--;
                return not;
            }
            return ParseComparison();
        }

        private Expr ParseComparison()
        {
            var left = ParseAdditive();
            if (TryKeyword("is"))
            {
                var negated = TryKeyword("not");
                if (!TryKeyword("null")) throw Error(Peek, "expected 'null' after 'is'");
                return new IsNullExpr(left, negated);
            }
            var not = false;
            if (IsKeyword("not") && (IsKeyword("in", 1) || IsKeyword("between", 1)))
            {
                _pos++;
                not = true;
            }
            if (TryKeyword("between"))
            {
                var low = ParseAdditive();
                ExpectKeyword("and");
                var high = ParseAdditive();
                Expr between = new BinaryExpr("and", new BinaryExpr(">=", left, low), new BinaryExpr("<=", left, high));
                return not ? new UnaryExpr("not", between) : between;
            }
            if (TryKeyword("in"))
            {
                ExpectSymbol("(", "expected '(' after 'in'");
                var values = new List<Expr> { ParseAdditive() };
                while (TrySymbol(",")) values.Add(ParseAdditive());
                ExpectSymbol(")", "expected ',' or ')' in the 'in' list");
                return new InExpr(left, values, not);
            }
            if (Peek.Kind == Kind.Symbol)
            {
                var op = Peek.Text switch
                {
                    "=" or "==" => "=",
                    "!=" or "<>" => "!=",
                    "<" or "<=" or ">" or ">=" => Peek.Text,
                    _ => null,
                };
                if (op is not null)
                {
                    _pos++;
                    return new BinaryExpr(op, left, ParseAdditive());
                }
            }
            return left;
        }

        private Expr ParseAdditive()
        {
            var left = ParseMultiplicative();
            while (true)
            {
                if (TrySymbol("+")) left = new BinaryExpr("+", left, ParseMultiplicative());
                else if (TrySymbol("-")) left = new BinaryExpr("-", left, ParseMultiplicative());
                else return left;
            }
        }

        private Expr ParseMultiplicative()
        {
            var left = ParseUnary();
            while (true)
            {
                if (TrySymbol("*")) left = new BinaryExpr("*", left, ParseUnary());
                else if (TrySymbol("/")) left = new BinaryExpr("/", left, ParseUnary());
                else if (TrySymbol("%")) left = new BinaryExpr("%", left, ParseUnary());
                else return left;
            }
        }

        private Expr ParseUnary()
        {
            if (Peek.Kind == Kind.Symbol && Peek.Text is "-" or "+")
            {
                var sign = Next();
                Enter(sign);
                var operand = ParseUnary();
                _depth--;
                return sign.Text == "-" ? new UnaryExpr("-", operand) : operand;
            }
            return ParsePrimary();
        }

        private Expr ParsePrimary()
        {
            var t = Peek;
            switch (t.Kind)
            {
                case Kind.End:
                    throw Error(t, "expected a value, a column or '('");
                case Kind.Number:
                    _pos++;
                    return Number(t);
                case Kind.String:
                    _pos++;
                    return new LiteralExpr(t.Text, t.Text, t.Position);
                case Kind.QuotedIdent:
                    _pos++;
                    return new ColumnExpr(t.Text, t.Position);
                case Kind.Symbol when t.Text == "(":
                    {
                        // ParseOr counts this level of nesting.
                        _pos++;
                        var inner = ParseOr();
                        ExpectSymbol(")", "expected ')'");
                        return inner;
                    }
                case Kind.Symbol:
                    throw Error(t, "expected a value, a column or '('");
            }
            if (TryKeyword("case")) return ParseCase(t);
            if (TryKeyword("cast")) return ParseCast(t);
            if (TryKeyword("true")) return new LiteralExpr(true, "true", t.Position);
            if (TryKeyword("false")) return new LiteralExpr(false, "false", t.Position);
            if (TryKeyword("null")) return new LiteralExpr(null, null, t.Position);
            _pos++;
            if (!TrySymbol("(")) return new ColumnExpr(t.Text, t.Position);
            Enter(t);
            var args = new List<Expr>();
            if (!TrySymbol(")"))
            {
                do
                {
                    args.Add(ParseOr());
                }
                while (TrySymbol(","));
                ExpectSymbol(")", "expected ')' or ','");
            }
            _depth--;
            return new CallExpr(t.Text.ToLowerInvariant(), args);
        }

        private static LiteralExpr Number(Token t)
        {
            var span = t.Text.AsSpan();
            bool isFloat = span.IndexOfAny('.', 'e', 'E') >= 0;
            if (!isFloat && long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var l)) return new LiteralExpr(l, t.Text, t.Position);
            return new LiteralExpr(double.Parse(span, NumberStyles.Float, CultureInfo.InvariantCulture), t.Text, t.Position);
        }

        private Expr ParseCase(Token at)
        {
            Enter(at);
            var branches = new List<(Expr, Expr)>();
            while (TryKeyword("when"))
            {
                var when = ParseOr();
                ExpectKeyword("then");
                branches.Add((when, ParseOr()));
            }
            if (branches.Count == 0) throw Error(Peek, "expected 'when'");
            var otherwise = TryKeyword("else") ? ParseOr() : null;
            ExpectKeyword("end");
            _depth--;
            return new CaseExpr(branches, otherwise);
        }

        private Expr ParseCast(Token at)
        {
            ExpectSymbol("(", "expected '(' after cast");
            Enter(at);
            var operand = ParseOr();
            ExpectKeyword("as");
            var type = Next();
            var target = type.Kind == Kind.Ident ? type.Text.ToLowerInvariant() switch
            {
                "double" or "float" or "float64" or "real" => ValueKind.Float64,
                "bigint" or "long" or "int" or "integer" or "int64" => ValueKind.Int64,
                "bool" or "boolean" => ValueKind.Bool,
                "string" or "varchar" or "text" => ValueKind.String,
                "timestamp" => ValueKind.Timestamp,
                _ => (ValueKind?)null,
            } : null;
            if (target is null) throw Error(type, "unknown type (expected double, bigint, boolean, string or timestamp)");
            ExpectSymbol(")", "expected ')'");
            _depth--;
            return new CastExpr(operand, target.Value);
        }
    }

    private static ExpressionException Error(Token t, string why)
    {
        var found = t.Kind == Kind.End ? "end of expression" : $"'{t.Text}'";
        return new ExpressionException($"at character {t.Position} ({found}): {why}");
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
            else if (c is '(' or ')' or ',' or '+' or '-' or '*' or '/' or '%')
            {
                tokens.Add(new(Kind.Symbol, c.ToString(), start));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>' or '&' or '|')
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : "";
                if (two is "<=" or ">=" or "!=" or "<>" or "==" or "&&" or "||")
                {
                    tokens.Add(new(Kind.Symbol, two, start));
                    i += 2;
                }
                else if (c is '&' or '|')
                {
                    throw new ExpressionException($"at character {start}: '{c}' must be doubled ('{c}{c}')");
                }
                else
                {
                    tokens.Add(new(Kind.Symbol, c.ToString(), start));
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
                if (!closed) throw new ExpressionException($"at character {start}: unterminated quote {c}");
                tokens.Add(new(c == '\'' ? Kind.String : Kind.QuotedIdent, sb.ToString(), start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                var j = i;
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                if (j < s.Length && s[j] == '.')
                {
                    j++;
                    while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                }
                if (j < s.Length && s[j] is 'e' or 'E')
                {
                    j++;
                    if (j < s.Length && s[j] is '+' or '-') j++;
                    var digits = j;
                    while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                    if (digits == j) throw new ExpressionException($"at character {start}: malformed number '{s[i..j]}' (exponent without digits)");
                }
                if (j < s.Length && (char.IsAsciiLetter(s[j]) || s[j] is '_' or '.'))
                {
                    var end = j;
                    while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '_' or '.')) end++;
                    throw new ExpressionException($"at character {start}: malformed number '{s[i..end]}'");
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
                throw new ExpressionException($"at character {start}: unexpected character '{c}'");
            }
        }
        tokens.Add(new(Kind.End, "", s.Length + 1));
        return tokens;
    }
}
