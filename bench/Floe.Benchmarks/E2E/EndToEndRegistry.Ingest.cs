using Floe.Benchmarks.E2E.Ingest;

namespace Floe.Benchmarks.E2E;

internal static partial class EndToEndRegistry
{
    private static void RegisterIngest()
    {
        EndToEnd.Register("ingest", IngestBench.Run);
        EndToEnd.Register("ingest-floe", FloeIngestRun.Run);
        EndToEnd.Register("ingest-duckdb", DuckDbIngestRun.Run);
        EndToEnd.Register("ingest-profile", IngestProfile.Run);
        EndToEnd.Register("scan-filter", Scan.ScanFilterBench.Run);
        EndToEnd.Register("scan-profile", Scan.ScanProfile.Run);
        EndToEnd.Register("scan-agg", Scan.ScanAggregateBench.Run);
        EndToEnd.Register("scan-count-duckdb", Scan.DuckDbCountRun.Run);
        EndToEnd.Register("delete", Delete.DeleteBench.Run);
    }
}
