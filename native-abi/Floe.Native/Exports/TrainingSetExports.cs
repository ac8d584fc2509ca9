using System.Runtime.InteropServices;
using Floe.Application.TrainingSets;
using Floe.Core.Errors;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the training-set module: <c>floe_training_set_build</c>, the CLI's <c>training-set</c> command over <see cref="TrainingSetService"/>.</summary>
internal static unsafe class TrainingSetExports
{
    private static readonly string[] RequestFields =
        ["spine", "spine_time", "features", "as_of", "snapshot", "tag", "max_age", "output"];

    /// <summary>
    /// <c>int floe_training_set_build(floe_buf* out, floe_warehouse* w, const char* request_json)</c>: builds a
    /// point-in-time-correct training set and returns the JSON of <c>floe training-set --json</c>. Errors:
    /// <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_training_set_build")]
    public static int Build(FloeBuf* @out, nint warehouse, byte* requestJson)
    {
        try
        {
            var trainingSets = new TrainingSetService(NativeCall.Open(@out, "out", warehouse));
            return NativeCall.Json(@out, trainingSets.Build(ReadRequest(Utf8Marshal.ReadRequired(requestJson, "request_json"))).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_training_set_build");
        }
    }

    /// <summary>Reads a training-set request object; the field names are the CLI's options in snake case.</summary>
    internal static TrainingSetRequest ReadRequest(string json)
    {
        using var request = NativeRequest.Parse(json, "request_json", RequestFields);
        IReadOnlyList<string> groups = request.StringList("features", splitCommas: false) ?? [];
        if (groups.Count == 0)
        {
            throw Errors.InvalidArgument($"{request.Describe("features")} is required (an array of \"GROUP[:f1,f2,...]\" strings)");
        }

        var selections = new List<FeatureSelection>(groups.Count);
        foreach (string group in groups)
        {
            try
            {
                selections.Add(FeatureSelection.Parse(group));
            }
            catch (FloeException e) when (e.Code == FloeErrorCode.InvalidArgument)
            {
                throw Errors.InvalidArgument($"{request.Describe("features")}: {ErrorClassifier.Message(e)}");
            }
        }

        return new TrainingSetRequest
        {
            SpinePath = request.RequiredString("spine"),
            SpineTime = request.String("spine_time") ?? "ts",
            Features = selections,
            AsOf = request.String("as_of"),
            SnapshotId = request.Long("snapshot"),
            Tag = request.String("tag"),
            MaxAgeMicros = request.Parsed<long?>("max_age", text => TrainingSetRequest.ParseMaxAge(text), null),
            OutputPath = request.RequiredString("output"),
        };
    }
}
