namespace Floe.Avro;

/// <summary>An Avro union. Iceberg only uses <c>["null", T]</c>, but any union is read and written.</summary>
public sealed class AvroUnionSchema : AvroSchema
{
    /// <summary>Creates a union of the given branches.</summary>
    public AvroUnionSchema(IReadOnlyList<AvroSchema> branches)
        : base(AvroType.Union)
    {
        Branches = branches;
        NullIndex = -1;
        for (var i = 0; i < branches.Count; i++)
        {
            if (branches[i].IsNull)
            {
                NullIndex = i;
                break;
            }
        }
    }

    /// <summary>The branches in index order.</summary>
    public IReadOnlyList<AvroSchema> Branches { get; }

    /// <summary>The index of the null branch, or -1.</summary>
    public int NullIndex { get; }

    /// <summary>For a two-branch union with null: the non-null branch; otherwise null.</summary>
    public AvroSchema? NonNullBranch => Branches.Count == 2 && NullIndex >= 0 ? Branches[1 - NullIndex] : null;

    /// <summary>The union <c>["null", <paramref name="schema"/>]</c>.</summary>
    public static AvroUnionSchema Nullable(AvroSchema schema) => new(new[] { AvroPrimitiveSchema.Null, schema });
}
