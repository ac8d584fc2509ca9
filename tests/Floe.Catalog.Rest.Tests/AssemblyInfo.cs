using NUnit.Framework;

// Fixtures run two at a time: each works under a temporary folder, Redis key prefix, PostgreSQL catalog or server port
// of its own and changes no process-wide state, and most of the suite's wall is waiting (connection timeouts, a
// restarted server, commit retries, child processes), which a second fixture fills. Tests inside a fixture still run
// one after another (they share the fixture's fields).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
