using System.Text.Json;
using System.Text.Json.Nodes;
using Floe.Core.Types;
using Floe.Core.Errors;

namespace Floe.Avro;

/// <summary>
/// Parses Avro schema JSON (Avro 1.11 "Schema Declaration") into <see cref="AvroSchema"/> nodes, keeping Iceberg's
/// id attributes typed and every other attribute in <c>Properties</c>. Uses only <see cref="JsonNode"/> (AOT-clean).
/// </summary>
public static class AvroSchemaParser
{
    /// <summary>Parses <paramref name="json"/>; <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="FloeException">InvalidData when the JSON or the schema is malformed.</exception>
    public static AvroSchema Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw Errors.InvalidData(source, $"Avro schema is not valid JSON ({JsonSyntax.Describe(e)})", e);
        }
        var context = new ParseContext(source);
        return context.ParseNode(root, enclosingNamespace: null, path: "schema");
    }

    private sealed class ParseContext
    {
        private readonly string _source;
        private readonly Dictionary<string, AvroNamedSchema> _named = new(StringComparer.Ordinal);

        public ParseContext(string source) => _source = source;

        public AvroSchema ParseNode(JsonNode? node, string? enclosingNamespace, string path)
        {
            switch (node)
            {
                case null:
                    throw Fail(path, "a schema must not be JSON null");
                case JsonArray array:
                    {
                        var branches = new AvroSchema[array.Count];
                        for (var i = 0; i < array.Count; i++)
                        {
                            branches[i] = ParseNode(array[i], enclosingNamespace, $"{path}[{i}]");
                            if (branches[i].Type == AvroType.Union) throw Fail(path, "a union must not directly contain a union");
                        }
                        return new AvroUnionSchema(branches);
                    }
                case JsonValue value when value.TryGetValue<string>(out var name):
                    return Resolve(name, enclosingNamespace, path);
                case JsonObject obj:
                    return ParseObject(obj, enclosingNamespace, path);
                default:
                    throw Fail(path, $"unexpected JSON {node.GetValueKind()} where a schema was expected");
            }
        }

        private AvroSchema Resolve(string name, string? enclosingNamespace, string path)
        {
            var primitive = AvroPrimitiveSchema.TypeOf(name);
            if (primitive is { } p) return Primitive(p);
            if (!name.Contains('.', StringComparison.Ordinal) && enclosingNamespace is not null &&
                _named.TryGetValue(enclosingNamespace + "." + name, out var inNamespace))
            {
                return inNamespace;
            }
            if (_named.TryGetValue(name, out var named)) return named;
            throw Fail(path, $"unknown type name '{name}'");
        }

        private AvroSchema ParseObject(JsonObject obj, string? enclosingNamespace, string path)
        {
            var typeNode = obj["type"];
            if (typeNode is JsonObject or JsonArray)
            {
                // {"type": {...}} is a wrapped schema; attributes beside it are ignored as in the Java library.
                return ParseNode(typeNode, enclosingNamespace, path + ".type");
            }
            var type = GetString(obj, "type", path) ?? throw Fail(path, "schema object has no 'type'");
            var logical = GetString(obj, "logicalType", path);
            switch (type)
            {
                case "record":
                case "error":
                    return ParseRecord(obj, enclosingNamespace, path);
                case "enum":
                    {
                        var (name, ns) = Name(obj, enclosingNamespace, path);
                        var symbolsNode = obj["symbols"] as JsonArray ?? throw Fail(path, "enum has no 'symbols' array");
                        var symbols = new string[symbolsNode.Count];
                        for (var i = 0; i < symbols.Length; i++)
                        {
                            symbols[i] = symbolsNode[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Fail(path, "enum symbols must be strings");
                        }
                        var schema = new AvroEnumSchema(name, ns, symbols)
                        {
                            Doc = GetString(obj, "doc", path),
                            Aliases = GetAliases(obj, path),
                            Default = GetString(obj, "default", path),
                            LogicalType = logical,
                            Properties = Extra(obj, "type", "name", "namespace", "doc", "aliases", "symbols", "default", "logicalType"),
                        };
                        Register(schema, path);
                        return schema;
                    }
                case "fixed":
                    {
                        var (name, ns) = Name(obj, enclosingNamespace, path);
                        var size = obj["size"] is JsonValue sv && sv.TryGetValue<int>(out var n) && n >= 0 ? n : throw Fail(path, "fixed needs a non-negative integer 'size'");
                        var schema = new AvroFixedSchema(name, ns, size)
                        {
                            Doc = GetString(obj, "doc", path),
                            Aliases = GetAliases(obj, path),
                            LogicalType = logical,
                            Properties = Extra(obj, "type", "name", "namespace", "doc", "aliases", "size", "logicalType"),
                        };
                        Register(schema, path);
                        return schema;
                    }
                case "array":
                    {
                        var items = ParseNode(obj["items"] ?? throw Fail(path, "array has no 'items'"), enclosingNamespace, path + ".items");
                        return new AvroArraySchema(items, GetInt(obj, "element-id", path))
                        {
                            LogicalType = logical,
                            Properties = Extra(obj, "type", "items", "element-id", "logicalType"),
                        };
                    }
                case "map":
                    {
                        var values = ParseNode(obj["values"] ?? throw Fail(path, "map has no 'values'"), enclosingNamespace, path + ".values");
                        return new AvroMapSchema(values, GetInt(obj, "key-id", path), GetInt(obj, "value-id", path))
                        {
                            LogicalType = logical,
                            Properties = Extra(obj, "type", "values", "key-id", "value-id", "logicalType"),
                        };
                    }
                default:
                    {
                        var primitive = AvroPrimitiveSchema.TypeOf(type);
                        if (primitive is null)
                        {
                            // {"type": "SomeNamedType"} refers to a named type.
                            return Resolve(type, enclosingNamespace, path);
                        }
                        var extra = Extra(obj, "type", "logicalType");
                        if (logical is null && extra is null) return Primitive(primitive.Value);
                        return new AvroPrimitiveSchema(primitive.Value) { LogicalType = logical, Properties = extra };
                    }
            }
        }

        private AvroRecordSchema ParseRecord(JsonObject obj, string? enclosingNamespace, string path)
        {
            var (name, ns) = Name(obj, enclosingNamespace, path);
            var record = new AvroRecordSchema(name, ns, Array.Empty<AvroField>())
            {
                Doc = GetString(obj, "doc", path),
                Aliases = GetAliases(obj, path),
                LogicalType = GetString(obj, "logicalType", path),
                Properties = Extra(obj, "type", "name", "namespace", "doc", "aliases", "fields", "logicalType"),
            };
            // Registered before the fields so that recursive references resolve.
            Register(record, path);
            var fieldsNode = obj["fields"] as JsonArray ?? throw Fail(path, $"record '{name}' has no 'fields' array");
            var fields = new AvroField[fieldsNode.Count];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Length; i++)
            {
                var fieldPath = $"{path}.{name}.fields[{i}]";
                var fieldObj = fieldsNode[i] as JsonObject ?? throw Fail(fieldPath, "a record field must be a JSON object");
                var fieldName = GetString(fieldObj, "name", fieldPath) ?? throw Fail(fieldPath, "record field has no 'name'");
                if (!seen.Add(fieldName)) throw Fail(fieldPath, $"duplicate field name '{fieldName}' in record '{name}'");
                var fieldType = ParseNode(fieldObj["type"] ?? throw Fail(fieldPath, $"field '{fieldName}' has no 'type'"), ns, $"{path}.{fieldName}");
                var hasDefault = fieldObj.ContainsKey("default");
                fields[i] = new AvroField(fieldName, fieldType, GetInt(fieldObj, "field-id", fieldPath))
                {
                    Doc = GetString(fieldObj, "doc", fieldPath),
                    HasDefault = hasDefault,
                    Default = hasDefault ? fieldObj["default"]?.DeepClone() : null,
                    Aliases = GetAliases(fieldObj, fieldPath),
                    Properties = Extra(fieldObj, "name", "type", "doc", "default", "aliases", "field-id"),
                };
            }
            record.SetFields(fields);
            return record;
        }

        private (string Name, string? Namespace) Name(JsonObject obj, string? enclosingNamespace, string path)
        {
            var name = GetString(obj, "name", path) ?? throw Fail(path, "named type has no 'name'");
            var ns = obj.ContainsKey("namespace") ? GetString(obj, "namespace", path) : enclosingNamespace;
            var dot = name.LastIndexOf('.');
            if (dot >= 0)
            {
                ns = name[..dot];
                name = name[(dot + 1)..];
            }
            return (name, string.IsNullOrEmpty(ns) ? null : ns);
        }

        private void Register(AvroNamedSchema schema, string path)
        {
            if (!_named.TryAdd(schema.FullName, schema))
            {
                throw Fail(path, $"type name '{schema.FullName}' is defined twice");
            }
        }

        private static AvroSchema Primitive(AvroType type) => type switch
        {
            AvroType.Null => AvroPrimitiveSchema.Null,
            AvroType.Boolean => AvroPrimitiveSchema.Boolean,
            AvroType.Int => AvroPrimitiveSchema.Int,
            AvroType.Long => AvroPrimitiveSchema.Long,
            AvroType.Float => AvroPrimitiveSchema.Float,
            AvroType.Double => AvroPrimitiveSchema.Double,
            AvroType.Bytes => AvroPrimitiveSchema.Bytes,
            _ => AvroPrimitiveSchema.String,
        };

        private string? GetString(JsonObject obj, string key, string path)
        {
            var node = obj[key];
            if (node is null) return null;
            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Fail(path, $"'{key}' must be a string");
        }

        private int? GetInt(JsonObject obj, string key, string path)
        {
            var node = obj[key];
            if (node is null) return null;
            if (node is JsonValue v)
            {
                if (v.TryGetValue<int>(out var i)) return i;
                // Some writers (avro-tools round trips) turn integer attributes into strings.
                if (v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out i)) return i;
            }
            throw Fail(path, $"'{key}' must be an integer");
        }

        private IReadOnlyList<string>? GetAliases(JsonObject obj, string path)
        {
            if (obj["aliases"] is not JsonArray array) return null;
            var result = new string[array.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = array[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Fail(path, "aliases must be strings");
            }
            return result;
        }

        private static Dictionary<string, JsonNode?>? Extra(JsonObject obj, params string[] known)
        {
            Dictionary<string, JsonNode?>? extra = null;
            foreach (var (key, value) in obj)
            {
                if (Array.IndexOf(known, key) >= 0) continue;
                extra ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                extra[key] = value?.DeepClone();
            }
            return extra;
        }

        private FloeException Fail(string path, string message) =>
            Errors.InvalidData(_source, $"invalid Avro schema at {path}: {message}");
    }
}
