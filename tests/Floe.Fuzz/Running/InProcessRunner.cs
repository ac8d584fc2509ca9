using System.Diagnostics;
using System.Security.Cryptography;

namespace Floe.Fuzz.Running;

/// <summary>
/// Runs fuzz targets without libFuzzer or AFL: replays every corpus file, then runs seeded random mutations of the
/// corpus. A crash (an exception other than Floe's own error, a broken contract) or an input slower than the hang
/// limit is saved under the artifacts folder and makes the run fail. An input that never returns is caught by a
/// watchdog, which saves it and ends the process, so a hang fails the run within the limit instead of running into
/// the test's timeout with nothing saved. Each target's mutations come from a seed that does not change from process
/// to process, so a run is repeatable. Not coverage-guided; the AFL mode is.
/// </summary>
internal sealed class InProcessRunner
{
    private readonly string _corpora;
    private readonly string _artifacts;
    private readonly int _seed;
    private readonly TimeSpan _hang;
    private readonly object _watched = new();
    private (FuzzTarget Target, byte[] Input, string What, long StartedAt)? _running;

    public InProcessRunner(string corpora, string artifacts, int seed, TimeSpan hang)
    {
        _corpora = corpora;
        _artifacts = artifacts;
        _seed = seed;
        _hang = hang;
        var watchdog = new Thread(Watch) { IsBackground = true, Name = "fuzz watchdog" };
        watchdog.Start();
    }

    /// <summary>Runs one target for <paramref name="iterations"/> mutations or until <paramref name="budget"/> is spent; returns the number of failures.</summary>
    public int Run(FuzzTarget target, int iterations, TimeSpan budget)
    {
        var corpus = LoadCorpus(target);
        var failures = 0;
        var clock = Stopwatch.StartNew();
        foreach (var (name, bytes) in corpus)
        {
            if (!Execute(target, bytes, "corpus " + name)) failures++;
        }
        var inputs = corpus.Select(c => c.Bytes).ToList();
        var mutator = new Mutator(new Random((_seed ^ StableHash(target.Name)) & 0x7fffffff), target.Dictionary);
        var random = new Random(_seed);
        long executions = corpus.Count;
        for (var i = 0; i < iterations && clock.Elapsed < budget; i++)
        {
            var input = mutator.Mutate(inputs[random.Next(inputs.Count)], inputs);
            executions++;
            if (!Execute(target, input, $"mutation {i}")) failures++;
            if (failures >= 5) break;
        }
        Console.WriteLine($"{target.Name}: {executions} executions ({corpus.Count} corpus files, {target.Refused} refusals with a Floe error) in {clock.Elapsed.TotalSeconds:F1} s, {failures} failure(s)");
        return failures;
    }

    private List<(string Name, byte[] Bytes)> LoadCorpus(FuzzTarget target)
    {
        var dir = Path.Combine(_corpora, target.Name);
        if (!Directory.Exists(dir)) return target.Seeds().ToList();
        var files = Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToList();
        return files.Count > 0 ? files : target.Seeds().ToList();
    }

    private bool Execute(FuzzTarget target, byte[] input, string what)
    {
        var clock = Stopwatch.StartNew();
        lock (_watched) _running = (target, input, what, Stopwatch.GetTimestamp());
        try
        {
            target.Run(input);
        }
        catch (Exception e)
        {
            Report(target, input, what, $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            return false;
        }
        finally
        {
            lock (_watched) _running = null;
        }
        if (clock.Elapsed > _hang)
        {
            Report(target, input, what, $"slow input: {clock.Elapsed.TotalSeconds:F1} s (hang limit {_hang.TotalSeconds:F0} s)");
            return false;
        }
        return true;
    }

    /// <summary>Ends the process once one input has run for twice the hang limit: it will not come back.</summary>
    private void Watch()
    {
        while (true)
        {
            Thread.Sleep(250);
            lock (_watched)
            {
                if (_running is not { } running || Stopwatch.GetElapsedTime(running.StartedAt) < 2 * _hang) continue;
                Report(running.Target, running.Input, running.What, $"hang: still running after {2 * _hang.TotalSeconds:F1} s");
                // Where the artifacts folder is not kept (CI), the log is all there is: a small input goes into it whole.
                if (running.Input.Length <= 64 * 1024) Console.Error.WriteLine($"{running.Target.Name}: the input as base64: {Convert.ToBase64String(running.Input)}");
                Console.Out.Flush();
                Console.Error.Flush();
                Environment.Exit(1);
            }
        }
    }

    /// <summary>FNV-1a of the name: string.GetHashCode is randomised per process, which made runs unrepeatable.</summary>
    private static int StableHash(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }

    private void Report(FuzzTarget target, byte[] input, string what, string detail)
    {
        Directory.CreateDirectory(_artifacts);
        var hash = Convert.ToHexString(SHA1.HashData(input))[..16].ToLowerInvariant();
        var path = Path.Combine(_artifacts, $"{target.Name}-crash-{hash}");
        File.WriteAllBytes(path, input);
        Console.Error.WriteLine($"{target.Name}: FAILURE on {what} (saved to {path}): {detail}");
    }
}
