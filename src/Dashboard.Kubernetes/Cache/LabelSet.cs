using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// A job's labels as one array of interleaved keys and values: a few dozen bytes instead of a
/// Dictionary's hundreds. Labels are few, so a linear lookup is as fast as hashing.
/// </summary>
public sealed class LabelSet : IReadOnlyDictionary<string, string>
{
    public static LabelSet Empty { get; } = new([]);

    private readonly string[] _keysAndValues;

    private LabelSet(string[] keysAndValues) => _keysAndValues = keysAndValues;

    public static LabelSet From(IEnumerable<KeyValuePair<string, string>> labels, StringPool? pool = null)
    {
        var list = new List<string>();
        foreach (var (key, value) in labels)
        {
            list.Add(pool?.Intern(key) ?? key);
            list.Add(pool?.Intern(value) ?? value);
        }

        return list.Count == 0 ? Empty : new LabelSet([.. list]);
    }

    public int Count => _keysAndValues.Length / 2;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys
    {
        get
        {
            for (var i = 0; i < _keysAndValues.Length; i += 2)
            {
                yield return _keysAndValues[i];
            }
        }
    }

    public IEnumerable<string> Values
    {
        get
        {
            for (var i = 1; i < _keysAndValues.Length; i += 2)
            {
                yield return _keysAndValues[i];
            }
        }
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        for (var i = 0; i < _keysAndValues.Length; i += 2)
        {
            if (string.Equals(_keysAndValues[i], key, StringComparison.Ordinal))
            {
                value = _keysAndValues[i + 1];
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _keysAndValues.Length; i += 2)
        {
            yield return new KeyValuePair<string, string>(_keysAndValues[i], _keysAndValues[i + 1]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
