using Apache.Arrow;
using BenchmarkDotNet.Attributes;
using Floe.Application.Demo;
using Floe.Application.Tables;
using Floe.Formats.Csv;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Benchmarks.Formats.Csv;

/// <summary>
/// CSV → Arrow batches of the demo event schema: the previous CsvHelper reader (baseline) against the chunked
/// reader on one thread and with one chunk per processor.
/// </summary>
[MemoryDiagnoser]
public class CsvReaderBenchmarks
{
    private string _path = "";
    private Schema _schema = null!;

    [Params(1_000, 65_536, 1_048_576)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _schema = SchemaText.Parse(EventGenerator.Schema);
        _path = Path.Combine(Path.GetTempPath(), $"floe-bench-csv-{Rows}.csv");
        new EventGenerator { Rows = Rows, Days = 30 }.WriteCsv(_path);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true)]
    public long Previous() => Count(PreviousCsvBatchReader.Read(_path, _schema));

    [Benchmark]
    public long Chunked_OneThread() => Count(CsvBatchReader.Read(_path, _schema, parallelism: 1));

    [Benchmark]
    public long Chunked_Parallel() => Count(CsvBatchReader.Read(_path, _schema));

    private static long Count(IEnumerable<RecordBatch> batches)
    {
        long rows = 0;
        foreach (var b in batches) rows += b.Length;
        return rows;
    }
}
