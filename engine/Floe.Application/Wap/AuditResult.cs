using System.Globalization;
using System.Text;
using System.Text.Json;
using Floe.Core.Json;

namespace Floe.Application.Wap;

/// <summary>One check of an audit: what was measured, against which threshold, and whether it passed.</summary>
/// <param name="Name">The check (<c>row_count_change</c>, <c>unique_keys</c>, <c>null_rate_increase</c>, <c>psi</c>, <c>ks</c>).</param>
/// <param name="Subject">The partition day or column it is about ("" for the table).</param>
/// <param name="Value">The measured value.</param>
/// <param name="Threshold">The largest value that passes.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Message">One line for people.</param>
public sealed record AuditCheck(string Name, string Subject, double Value, double Threshold, bool Passed, string Message);

/// <summary>Row counts of one day partition on main and on the staged snapshot.</summary>
public sealed record PartitionAudit(DateOnly Day, long MainRows, long StagedRows, bool Changed);

/// <summary>One numeric column compared over the changed partitions: main against staging.</summary>
public sealed record ColumnAudit(
    string Name,
    double MainNullRate,
    double StagedNullRate,
    double? StagedMin,
    double? StagedMax,
    double Psi,
    double Ks,
    IReadOnlyList<double> BinEdges,
    IReadOnlyList<double> MainShares,
    IReadOnlyList<double> StagedShares);

/// <summary>The outcome of auditing a staged snapshot against main.</summary>
public sealed record AuditResult(
    string Table,
    string Branch,
    long SnapshotId,
    long? MainSnapshotId,
    bool Passed,
    IReadOnlyList<AuditCheck> Checks,
    IReadOnlyList<PartitionAudit> Partitions,
    IReadOnlyList<ColumnAudit> Columns,
    long DuplicateKeys,
    string? ResultLocation = null)
{
    /// <summary>A short table for a terminal: the verdict, then failed checks first.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"audit of {Table} branch '{Branch}' snapshot {SnapshotId} against main {(MainSnapshotId?.ToString(CultureInfo.InvariantCulture) ?? "(empty)")}: {(Passed ? "PASSED" : "FAILED")}");
        int changed = Partitions.Count(p => p.Changed);
        text.AppendLine(CultureInfo.InvariantCulture, $"  {changed} changed partition(s) of {Partitions.Count}; {Checks.Count(c => !c.Passed)} failed check(s) of {Checks.Count}");
        foreach (var check in Checks.OrderBy(c => c.Passed))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {(check.Passed ? "ok  " : "FAIL")} {check.Name,-20} {check.Subject,-24} {check.Message}");
        }
        if (ResultLocation is not null) text.AppendLine(CultureInfo.InvariantCulture, $"  result: {ResultLocation}");
        return text.ToString().TrimEnd();
    }

    /// <summary>The machine-readable result (also what is stored with the table).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("table", Table);
        json.WriteString("branch", Branch);
        json.WriteNumber("snapshot_id", SnapshotId);
        json.WriteNumberOrNull("main_snapshot_id", MainSnapshotId);
        json.WriteBoolean("passed", Passed);
        json.WriteNumber("duplicate_keys", DuplicateKeys);
        json.WriteStartArray("checks");
        foreach (var c in Checks.OrderBy(c => c.Passed))
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteString("subject", c.Subject);
            Number(json, "value", c.Value);
            Number(json, "threshold", c.Threshold);
            json.WriteBoolean("passed", c.Passed);
            json.WriteString("message", c.Message);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("partitions");
        foreach (var p in Partitions)
        {
            json.WriteStartObject();
            json.WriteString("day", p.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteNumber("main_rows", p.MainRows);
            json.WriteNumber("staged_rows", p.StagedRows);
            json.WriteBoolean("changed", p.Changed);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("columns");
        foreach (var c in Columns)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            Number(json, "main_null_rate", c.MainNullRate);
            Number(json, "staged_null_rate", c.StagedNullRate);
            if (c.StagedMin is { } min) Number(json, "staged_min", min);
            if (c.StagedMax is { } max) Number(json, "staged_max", max);
            Number(json, "psi", c.Psi);
            Number(json, "ks", c.Ks);
            Numbers(json, "bin_edges", c.BinEdges);
            Numbers(json, "main_shares", c.MainShares);
            Numbers(json, "staged_shares", c.StagedShares);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The JSON document as UTF-8 bytes.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true })) WriteJson(json);
        return buffer.ToArray();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }

    private static void Numbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            if (double.IsFinite(v)) json.WriteNumberValue(v);
            else json.WriteNullValue();
        }
        json.WriteEndArray();
    }
}
