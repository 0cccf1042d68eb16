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

    /// <summary>Collects labels one at a time (the streaming reader's way) into an exact-size set.</summary>
    public struct Builder(StringPool? pool)
    {
        private string[]? _keysAndValues;
        private int _count;

        public void Add(string key, string value) => AddShared(pool?.Intern(key) ?? key, pool?.Intern(value) ?? value);

        /// <summary>Adds a label whose strings are already the pool's (or there is no pool).</summary>
        public void AddShared(string key, string value)
        {
            _keysAndValues ??= new string[8];
            if (_count + 2 > _keysAndValues.Length)
            {
                Array.Resize(ref _keysAndValues, _keysAndValues.Length * 2);
            }

            _keysAndValues[_count++] = key;
            _keysAndValues[_count++] = value;
        }


        /// <summary>The set; with a pool, one shared instance per distinct set (jobs of a team or model repeat theirs).</summary>
        public readonly LabelSet Build()
        {
            if (_count == 0)
            {
                return Empty;
            }

            var set = new LabelSet(_keysAndValues.AsSpan(0, _count).ToArray());
            return pool?.Intern(set) ?? set;
        }
    }

    /// <summary>Equal when the same keys and values come in the same order (ordinal).</summary>
    public static IEqualityComparer<LabelSet> ContentComparer { get; } = new Comparer();

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

    private sealed class Comparer : IEqualityComparer<LabelSet>
    {
        public bool Equals(LabelSet? x, LabelSet? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x._keysAndValues.AsSpan().SequenceEqual(y._keysAndValues));

        public int GetHashCode(LabelSet obj)
        {
            var hash = new HashCode();
            foreach (var item in obj._keysAndValues)
            {
                hash.Add(item, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
