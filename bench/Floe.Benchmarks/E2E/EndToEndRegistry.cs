namespace Floe.Benchmarks.E2E;

/// <summary>The list of end-to-end subcommands; each bench adds one line here.</summary>
internal static partial class EndToEndRegistry
{
    public static void RegisterAll()
    {
        EndToEnd.Register("features", Features.FeaturesEndToEnd.Run);
        EndToEnd.Register("features-kernel", Features.FeatureKernelBench.Run);
        EndToEnd.Register("expressions", Features.ExpressionBench.Run);
        EndToEnd.Register("string-features", Features.StringFeaturesBench.Run);
        RegisterIngest();
        EndToEnd.Register("commit", Commit.CommitBench.Run);
        EndToEnd.Register("catalog-commits", Commit.CatalogCommitBench.Run);
        EndToEnd.Register("parquet-write", Formats.Parquet.ParquetWriteBench.Run);
        EndToEnd.Register("zstd-compare", Formats.Zstd.ZstdCompareBench.Run);
        EndToEnd.Register("training-set", TrainingSets.TrainingSetEndToEnd.Run);
        EndToEnd.Register("backfill", Backfill.BackfillEndToEnd.Run);
        EndToEnd.Register("online", Online.OnlineEndToEnd.Run);
        EndToEnd.Register("catalog", Catalog.CatalogBench.Run);
    }
}
