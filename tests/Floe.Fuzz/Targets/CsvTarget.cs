using System.Text;
using Floe.Application.Tables;
using Floe.Formats.Csv;

namespace Floe.Fuzz.Targets;

/// <summary>CSV input files read as batches of a table schema covering every value converter.</summary>
internal sealed class CsvTarget : FuzzTarget, IDisposable
{
    private static readonly Floe.Core.Types.Schema Schema = SchemaText.Parse(
        "id:long not null,name:string,amount:decimal(10,2),ts:timestamptz,t:timestamp,d:date,tm:time,ok:boolean,f:float,x:double,i:int,u:uuid,bin:binary,big:decimal(38,6)");

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"floe-fuzz-{Environment.ProcessId}.csv");

    public override string Name => "csv";

    public override string Description => "CsvBatchReader.Read (tokenizer, quoting, every type converter, UTF-8 checks)";

    public override string[] Dictionary => new[] { ",", "\"", "\"\"", "\r\n", "\n", "1e400", "NaN", "-0", "2024-02-30", "T23:59:60Z", "+05:30", "\u00ff\u00fe", "true", "null", "9999999999999999999" };

    public override void Run(ReadOnlySpan<byte> input)
    {
        File.WriteAllBytes(_path, input.ToArray());
        Expect(() =>
        {
            foreach (var batch in CsvBatchReader.Read(_path, Schema, batchRows: 7, parallelism: 1)) batch.Dispose();
        });
    }

    public void Dispose()
    {
        if (File.Exists(_path)) File.Delete(_path);
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        const string header = "id,name,amount,ts,t,d,tm,ok,f,x,i,u,bin,big\n";
        yield return ("typed.csv", Encoding.UTF8.GetBytes(header +
            "1,plain,12.50,2024-01-01T00:00:00Z,2024-01-01T00:00:00,2024-01-01,12:30:00,true,1.5,2.25,7,0f8fad5b-d9cb-469f-a165-70867728950e,aGk=,123456.000001\n" +
            "2,\"quoted, with comma\",-0.01,2024-06-30T23:59:59.999999+02:00,2024-06-30T23:59:59.123456,1970-01-01,00:00:00.000001,false,-0,NaN,-2147483648,,,\n" +
            "3,\"line\nbreak \"\"q\"\"\",,,,,,,,,,,,\n"));
        yield return ("header-only.csv", Encoding.UTF8.GetBytes(header));
        yield return ("reordered.csv", Encoding.UTF8.GetBytes("name,id\r\nx,1\r\ny,2\r\n"));
    }
}
