using System.Diagnostics;
using System.Security.Cryptography;

namespace Floe.Fuzz.Running;

/// <summary>
/// Runs fuzz targets without libFuzzer or AFL: replays every corpus file, then runs seeded random mutations of the
/// corpus. A crash (an exception other than Floe's own error, a broken contract) or an input slower than the hang
/// limit is saved under the artifacts folder and makes the run fail. Not coverage-guided; the AFL mode is.
/// </summary>
internal sealed class InProcessRunner
{
    private readonly string _corpora;
    private readonly string _artifacts;
    private readonly int _seed;
    private readonly TimeSpan _hang;

    public InProcessRunner(string corpora, string artifacts, int seed, TimeSpan hang)
    {
        _corpora = corpora;
        _artifacts = artifacts;
        _seed = seed;
        _hang = hang;
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
        var mutator = new Mutator(new Random(_seed ^ target.Name.GetHashCode(StringComparison.Ordinal) & 0x7fffffff), target.Dictionary);
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
        try
        {
            target.Run(input);
        }
        catch (Exception e)
        {
            Report(target, input, what, $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            return false;
        }
        if (clock.Elapsed > _hang)
        {
            Report(target, input, what, $"slow input: {clock.Elapsed.TotalSeconds:F1} s (hang limit {_hang.TotalSeconds:F0} s)");
            return false;
        }
        return true;
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
