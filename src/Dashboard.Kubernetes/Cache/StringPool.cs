using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// Shares strings that repeat across jobs (namespaces, label keys and values, images, reasons) so the
/// cache holds one copy of each. Bounded: at <see cref="MaxEntries"/> (unique run ids in labels fill it over a
/// long life) the pool starts afresh, so it holds no more than that for jobs long gone and keeps sharing what
/// new jobs repeat; jobs already cached keep the strings they have.
/// </summary>
public sealed class StringPool
{
    public const int MaxEntries = 100_000;

    private const int MaxStackChars = 256;

    // Lock-free lookups: the list's pages are read on two threads at once and nearly every lookup is a hit.
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<LabelSet, LabelSet> _labelSets = new(LabelSet.ContentComparer);

    // The shared label sets again, by the exact UTF-8 text of the labels object they were read from.
    private readonly ConcurrentDictionary<byte[], LabelSet> _labelSetsByText = new(Utf8TextComparer.Instance);
    private readonly Lock _generationGate = new();
    private int _count;

    /// <summary>Entries held: shared strings, label sets, and the labels texts those sets were read from.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many times the pool filled up and started afresh.</summary>
    public int Generation { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Intern(string value)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }

        return _strings.TryGetValue(value, out var shared) ? shared : Add(_strings, value);
    }

    public string? InternOrNull(string? value) => value is null ? null : Intern(value);

    /// <summary>The shared string for UTF-8 text, allocating only when it is new (the streaming reader's way).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxStackChars)
        {
            return Intern(Encoding.UTF8.GetString(utf8));
        }

        Span<char> chars = stackalloc char[MaxStackChars];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return _strings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var shared)
            ? shared
            : Add(_strings, new string(chars[..length]));
    }

    /// <summary>The shared instance of a label set with the same keys and values in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LabelSet Intern(LabelSet labels)
    {
        if (labels.Count == 0)
        {
            return LabelSet.Empty;
        }

        return _labelSets.TryGetValue(labels, out var shared) ? shared : Add(_labelSets, labels);
    }

    /// <summary>The shared label set read before from exactly this JSON text of a labels object, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetLabelSet(ReadOnlySpan<byte> labelsJson, [NotNullWhen(true)] out LabelSet? labels) =>
        _labelSetsByText.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(labelsJson, out labels);

    /// <summary>Remembers the label set read from a labels object's JSON text (bounded like the rest of the pool).</summary>
    public void AddLabelSet(ReadOnlySpan<byte> labelsJson, LabelSet labels)
    {
        StartAfreshWhenFull();
        if (_labelSetsByText.GetAlternateLookup<ReadOnlySpan<byte>>().TryAdd(labelsJson, labels))
        {
            Interlocked.Increment(ref _count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private T Add<T>(ConcurrentDictionary<T, T> entries, T value)
        where T : notnull
    {
        StartAfreshWhenFull();
        var shared = entries.GetOrAdd(value, value);
        if (ReferenceEquals(shared, value))
        {
            Interlocked.Increment(ref _count);
        }

        return shared;
    }

    /// <summary>A full pool forgets everything (the count may overshoot by a racing add or two first).</summary>
    private void StartAfreshWhenFull()
    {
        if (Volatile.Read(ref _count) < MaxEntries)
        {
            return;
        }

        lock (_generationGate)
        {
            if (Volatile.Read(ref _count) < MaxEntries)
            {
                return;
            }

            _strings.Clear();
            _labelSets.Clear();
            _labelSetsByText.Clear();
            Volatile.Write(ref _count, 0);
            Generation++;
        }
    }
}

/// <summary>Byte-array keys compared by content, looked up by spans without copying them.</summary>
internal sealed class Utf8TextComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly Utf8TextComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = default(HashCode);
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
