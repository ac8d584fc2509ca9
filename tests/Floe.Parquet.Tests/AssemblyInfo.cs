using NUnit.Framework;

// Fixtures run two at a time (tests within a fixture still one after another): ctest starts this suite beside
// others, and its wall bounds the fast pass. Every fixture here writes under its own temporary folder (a GUID
// each), reads the shared fixtures only, keeps its state in instance fields, sets no environment variable and
// opens no port; the DuckDB oracle holds one database a thread. A fixture that changes process-wide state is
// marked [NonParallelizable] and runs alone.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
