using System.Buffers;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Native.Interop;

namespace Floe.Native;

/// <summary>
/// JSON across the ABI: results are written with the application's own <c>WriteJson</c> methods (the shapes the CLI's
/// <c>--json</c> prints) into a <c>floe_buf</c>, and JSON option fields are parsed strictly.
/// </summary>
internal static unsafe class NativeJson
{
    /// <summary>Runs <paramref name="write"/> over a fresh writer and fills <paramref name="buffer"/> with the UTF-8 JSON.</summary>
    public static void Fill(FloeBuf* buffer, Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(output))
        {
            write(json);
        }

        NativeBuffers.Fill(buffer, output.WrittenSpan);
    }

    /// <summary>Parses a JSON object of string values (<c>{"k":"v"}</c>).</summary>
    /// <param name="text">The JSON text, or null for none.</param>
    /// <param name="name">The C field name, used in messages.</param>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> when it is not such an object.</exception>
    public static IReadOnlyDictionary<string, string> ParseStringMap(string? text, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null)
        {
            return map;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Errors.InvalidArgument($"{name} must be a JSON object of strings");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw Errors.InvalidArgument($"{name}: property \"{property.Name}\" must be a string");
                }

                map[property.Name] = property.Value.GetString()!;
            }
        }
        catch (JsonException e)
        {
            throw Errors.InvalidArgument($"{name} is not valid JSON: {e.Message}");
        }

        return map;
    }
}
