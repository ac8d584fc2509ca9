namespace Floe.Features.Engine;

/// <summary>Interns strings to dense ids so string values travel through the kernels as longs.</summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    public long Intern(string value)
    {
        if (!_ids.TryGetValue(value, out long id))
        {
            id = _values.Count;
            _values.Add(value);
            _ids.Add(value, id);
        }
        return id;
    }

    public string Get(long id) => _values[(int)id];
}
