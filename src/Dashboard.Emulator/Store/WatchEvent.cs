namespace Dashboard.Emulator.Store;

public enum ChangeType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}

/// <summary>One change in the store. Previous is the object before a modification (for selector transitions).</summary>
public sealed record WatchEvent(ChangeType Type, long ResourceVersion, StoredObject? Object, StoredObject? Previous = null, bool InitialEventsEnd = false)
{
    public string Namespace => Object?.Namespace ?? "";
}
