using System.Globalization;
using Floe.Features.Definitions;
using Floe.Fuzz;
using Floe.Fuzz.Running;
using Floe.Fuzz.Targets;
using SharpFuzz;

// Fuzz targets for every Floe parser of outside input. See README.md in this folder.
//   Floe.Fuzz list
//   Floe.Fuzz seed CORPORA_DIR                 write generated seed corpora (corpora/<target>/)
//   Floe.Fuzz run [--targets a,b] [--iterations N] [--seconds S] [--corpora DIR] [--artifacts DIR] [--seed K] [--hang S]
//   Floe.Fuzz replay TARGET FILE...            run single inputs (crash reproduction)
//   Floe.Fuzz afl TARGET                       AFL persistent mode (SharpFuzz; instrument the Floe assemblies first)
//   Floe.Fuzz libfuzzer TARGET                 libFuzzer mode (SharpFuzz libfuzzer-dotnet driver)
var targets = new List<FuzzTarget>
{
    new MetadataJsonTarget(),
    new AvroTarget(),
    new ParquetTarget(),
    new CsvTarget(),
    new FilterTarget(),
    new DefinitionTarget(DefinitionFormat.Json),
    new DefinitionTarget(DefinitionFormat.Yaml),
    new FeatureExpressionTarget(),
    new AbiTarget(),
};

try
{
    return Main(args, targets);
}
finally
{
    foreach (var t in targets) (t as IDisposable)?.Dispose();
}

static int Main(string[] args, List<FuzzTarget> targets)
{
    if (args.Length == 0)
    {
        Console.Error.WriteLine("usage: Floe.Fuzz list | seed DIR | run [options] | replay TARGET FILE... | afl TARGET | libfuzzer TARGET");
        return 2;
    }
    FuzzTarget Find(string name) =>
        targets.FirstOrDefault(t => t.Name == name)
        ?? (name == WatchdogCheckTarget.TargetName ? new WatchdogCheckTarget() : null)
        ?? throw new ArgumentException($"unknown target '{name}' (see 'list')");
    switch (args[0])
    {
        case "list":
            foreach (var t in targets) Console.WriteLine($"{t.Name,-20} {t.Description}");
            return 0;
        case "seed":
            {
                var root = args.Length > 1 ? args[1] : "corpora";
                foreach (var t in targets)
                {
                    var dir = Path.Combine(root, t.Name);
                    Directory.CreateDirectory(dir);
                    foreach (var (name, bytes) in t.Seeds()) File.WriteAllBytes(Path.Combine(dir, "seed-" + name), bytes);
                }
                return 0;
            }
        case "replay":
            {
                var target = Find(args[1]);
                var failed = 0;
                foreach (var file in args.Skip(2))
                {
                    try
                    {
                        target.Run(File.ReadAllBytes(file));
                        Console.WriteLine($"{file}: ok");
                    }
                    catch (Exception e)
                    {
                        failed++;
                        Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    }
                }
                return failed == 0 ? 0 : 1;
            }
        case "afl":
            {
                var target = Find(args[1]);
                // Out of process: the target runs in a child that SharpFuzz restarts after a crash, which also survives
                // a stack overflow and the thread pool threads parallel readers start (in-process persistent mode loses
                // the fork server on those).
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    target.Run(copy.ToArray());
                });
                return 0;
            }
        case "libfuzzer":
            {
                var target = Find(args[1]);
                Fuzzer.LibFuzzer.Run(span => target.Run(span));
                return 0;
            }
        case "run":
            {
                var options = Options(args.Skip(1).ToArray());
                var selected = options.TryGetValue("targets", out var names) ? names.Split(',').Select(Find).ToList() : targets;
                var iterations = int.Parse(options.GetValueOrDefault("iterations", "2000"), CultureInfo.InvariantCulture);
                var seconds = double.Parse(options.GetValueOrDefault("seconds", "600"), CultureInfo.InvariantCulture);
                var runner = new InProcessRunner(
                    options.GetValueOrDefault("corpora", Path.Combine(AppContext.BaseDirectory, "corpora")),
                    options.GetValueOrDefault("artifacts", "fuzz-artifacts"),
                    int.Parse(options.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture),
                    TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("hang", "10"), CultureInfo.InvariantCulture)));
                var failures = 0;
                foreach (var t in selected) failures += runner.Run(t, iterations, TimeSpan.FromSeconds(seconds));
                Console.WriteLine(failures == 0 ? "fuzz: no failures" : $"fuzz: {failures} failure(s)");
                return failures == 0 ? 0 : 1;
            }
        default:
            Console.Error.WriteLine($"unknown command '{args[0]}'");
            return 2;
    }
}

static Dictionary<string, string> Options(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected an option, got '{args[i]}'");
        result[args[i][2..]] = args[i + 1];
    }
    return result;
}
