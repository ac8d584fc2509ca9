using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Floe.Online;

/// <summary>The outcome of comparing the online store with the feature table for a sample of entities.</summary>
/// <param name="Sampled">Entities sampled from the feature table.</param>
/// <param name="Compared">Sampled entities found in Redis at the table's newest feature time.</param>
/// <param name="Mismatched">Compared entities with at least one feature differing.</param>
/// <param name="Missing">Sampled entities absent from Redis.</param>
/// <param name="Stale">Entities whose Redis feature time is older than the table's newest.</param>
/// <param name="Ahead">Entities whose Redis feature time is newer than the table's (streamed, not yet backfilled).</param>
/// <param name="MaxAbsDiff">Per feature, the largest absolute difference among compared entities.</param>
/// <param name="MaxStalenessMicros">The largest (table − Redis) feature time among stale entities.</param>
public sealed record ConsistencyReport(int Sampled, int Compared, int Mismatched, int Missing, int Stale, int Ahead,
    IReadOnlyDictionary<string, double> MaxAbsDiff, long MaxStalenessMicros)
{
    /// <summary>(mismatched + missing + stale) / sampled.</summary>
    public double MismatchRate => Sampled == 0 ? 0 : (double)(Mismatched + Missing + Stale) / Sampled;

    /// <summary>Whether the mismatch rate is at most <paramref name="threshold"/>.</summary>
    public bool Passes(double threshold) => MismatchRate <= threshold;

    /// <summary>Human-readable text: a verdict line, then the largest difference of each feature that differed.</summary>
    public string ToText(bool passed)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(passed ? "PASSED" : "FAILED")}: {Sampled} sampled, {Compared} compared, {Mismatched} mismatched, ")
            .Append(CultureInfo.InvariantCulture, $"{Missing} missing, {Stale} stale (max {MaxStalenessMicros / 1e6:F0} s), {Ahead} ahead; mismatch rate {MismatchRate:P2}");
        foreach (var (name, diff) in MaxAbsDiff)
        {
            if (diff > 0) text.AppendLine().Append(CultureInfo.InvariantCulture, $"  max |diff| {name}: {diff:G6}");
        }
        return text.ToString();
    }

    /// <summary>Machine-readable JSON, with the verdict.</summary>
    public void WriteJson(Utf8JsonWriter json, bool passed)
    {
        json.WriteStartObject();
        json.WriteBoolean("passed", passed);
        json.WriteNumber("sampled", Sampled);
        json.WriteNumber("compared", Compared);
        json.WriteNumber("mismatched", Mismatched);
        json.WriteNumber("missing", Missing);
        json.WriteNumber("stale", Stale);
        json.WriteNumber("ahead", Ahead);
        json.WriteNumber("mismatch_rate", MismatchRate);
        json.WriteNumber("max_staleness_seconds", MaxStalenessMicros / 1e6);
        json.WriteStartObject("max_abs_diff");
        foreach (var (name, diff) in MaxAbsDiff) json.WriteNumber(name, diff);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
