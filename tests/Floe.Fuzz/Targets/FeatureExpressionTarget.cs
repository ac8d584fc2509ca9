using Floe.Core.Expressions;
using System.Text;
using Floe.Core.Errors;
using Floe.Features.Expressions;

namespace Floe.Fuzz.Targets;

/// <summary>Feature expressions (<c>expr</c>, <c>column</c> and <c>filter</c> of a definition).</summary>
internal sealed class FeatureExpressionTarget : FuzzTarget
{
    public override string Name => "feature-expression";

    public override string Description => "Features ExpressionParser.Parse (CASE, functions, IN, BETWEEN, literals, depth limit)";

    public override string[] Dictionary => new[]
    {
        "case ", "when ", "then ", "else ", " end", "coalesce(", "nullif(", "abs(", " in (", " between ", " and ", " or ", "not ", " is null", "(", ")", ",", "'", "''", "-", "%", "1e400", "0x",
    };

    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        try
        {
            ExpressionParser.Parse(text);
        }
        catch (ExpressionException e)
        {
            CountRefused();
            CheckMessage(e.Message);
        }
        catch (FloeException e)
        {
            CountRefused();
            CheckMessage(e.Message);
        }
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("case.txt", Encoding.UTF8.GetBytes("case when a > 1 and not (b <= 2.5 or c is null) then coalesce(d, 0) * -3 else abs(e) / 2 end"));
        yield return ("sets.txt", Encoding.UTF8.GetBytes("x in (1, 2, 3) or s = 'it''s' or t between 1 and 10"));
        yield return ("arith.txt", Encoding.UTF8.GetBytes("((((a + b) * (c - d)) / nullif(e, 0)) % 7)"));
    }
}
