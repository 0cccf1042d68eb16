namespace Dashboard.Emulator.Store;

/// <summary>One stored version of an object: its serialized JSON once, plus what filtering and tables need.</summary>
public sealed class StoredObject
{
    private static readonly Dictionary<string, string> NoLabels = [];

    internal StoredObject(string key, string @namespace, string name, long resourceVersion, string uid,
        IReadOnlyDictionary<string, string>? labels, DateTime? creationTimestamp, string? state, byte[] json, byte[] metadataJson)
    {
        Key = key;
        Namespace = @namespace;
        Name = name;
        ResourceVersion = resourceVersion;
        Uid = uid;
        Labels = labels ?? NoLabels;
        CreationTimestamp = creationTimestamp;
        State = state;
        Json = json;
        MetadataJson = metadataJson;
    }

    public string Key { get; }
    /// <summary>"" for cluster-scoped objects.</summary>
    public string Namespace { get; }
    public string Name { get; }
    public long ResourceVersion { get; }
    public string Uid { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public DateTime? CreationTimestamp { get; }
    /// <summary>The Table's STATE/STATUS cell: the last condition type of a job, a namespace's phase.</summary>
    public string? State { get; }
    /// <summary>The whole object as the API serves it (UTF-8 JSON).</summary>
    public byte[] Json { get; }
    /// <summary>Just its metadata (for Table rows' PartialObjectMetadata).</summary>
    public byte[] MetadataJson { get; }

    internal static StoredObject Probe(string key) => new(key, "", "", 0, "", null, null, null, [], []);
}

/// <summary>Orders objects by key, ordinal, as etcd orders its keys.</summary>
internal sealed class KeyOrder : IComparer<StoredObject>
{
    public static readonly KeyOrder Instance = new();

    public int Compare(StoredObject? x, StoredObject? y) => string.CompareOrdinal(x?.Key, y?.Key);
}
