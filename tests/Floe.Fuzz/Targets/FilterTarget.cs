using System.Text;
using Floe.Application.Tables;
using Floe.Iceberg.Expressions;

namespace Floe.Fuzz.Targets;

/// <summary>Scan filter expressions (<c>--filter</c>, the C ABI's filter strings), parsed and bound to a schema with every type.</summary>
internal sealed class FilterTarget : FuzzTarget
{
    private static readonly Floe.Core.Types.Schema Schema = SchemaText.Parse(
        "id:long not null,name:string,price:decimal(10,2),ts:timestamptz,t:timestamp,d:date,ok:boolean,f:float,x:double,i:int,u:uuid,b:binary," +
        "s:struct<a:int,b:struct<c:string>>,l:list<long>,m:map<string,int>");

    public override string Name => "filter";

    public override string Description => "Iceberg filter ExpressionParser.Parse (tokens, precedence, literals, binding, depth limit)";

    public override string[] Dictionary => new[]
    {
        " and ", " or ", "not ", "(", ")", " is null", " is not null", " in (", " not in (", " between ", " like ", "'", "''", "\"", "=", "!=", "<>", "<=", ">=",
        "s.b.c", "price", "ts", "'2024-01-01T00:00:00Z'", "1e400", "-9223372036854775808", "99999999.999", "true", "NaN", "u", "x'00ff'",
    };

    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        Expect(() => ExpressionParser.Parse(text, Schema));
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("compare.txt", Encoding.UTF8.GetBytes("id > 10 and (name = 'a''b' or price <= 49.99) and not ok"));
        yield return ("time.txt", Encoding.UTF8.GetBytes("ts >= '2024-01-01T00:00:00Z' and d < '2024-02-01' and t is not null"));
        yield return ("sets.txt", Encoding.UTF8.GetBytes("i in (1, 2, 3) or x not in (1.5, -2e3) or name is null or f != 0"));
        yield return ("nested.txt", Encoding.UTF8.GetBytes("s.a = 1 and s.b.c like 'x%' and u = '0f8fad5b-d9cb-469f-a165-70867728950e'"));
    }
}
