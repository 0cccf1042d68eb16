namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// Shares strings that repeat across jobs (namespaces, label keys and values, images, reasons) so the
/// cache holds one copy of each. Bounded: past <see cref="MaxEntries"/> new strings are kept as they are.
/// </summary>
public sealed class StringPool
{
    public const int MaxEntries = 100_000;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _strings.Count;
            }
        }
    }

    public string Intern(string value)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }

        lock (_gate)
        {
            if (_strings.TryGetValue(value, out var shared))
            {
                return shared;
            }

            if (_strings.Count < MaxEntries)
            {
                _strings.Add(value);
            }

            return value;
        }
    }

    public string? InternOrNull(string? value) => value is null ? null : Intern(value);
}
