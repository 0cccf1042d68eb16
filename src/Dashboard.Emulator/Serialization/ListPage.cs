using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Serialization;

/// <summary>One page of a list as it goes on the wire.</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
