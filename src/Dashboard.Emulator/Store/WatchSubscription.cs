using System.Threading.Channels;

namespace Dashboard.Emulator.Store;

/// <summary>One open watch: the store writes its events in resourceVersion order; the HTTP handler reads them.</summary>
public sealed class WatchSubscription : IDisposable
{
    // Unbounded so the store can always write under its lock without waiting for a slow reader.
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<WatchSubscription> _onDispose;
    private int _disposed;

    internal WatchSubscription(ResourceKind kind, string? @namespace, Action<WatchSubscription> onDispose)
    {
        Kind = kind;
        Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
        _onDispose = onDispose;
    }

    public ResourceKind Kind { get; }

    /// <summary>null = every namespace.</summary>
    public string? Namespace { get; }

    public ChannelReader<WatchEvent> Events => _events.Reader;

    internal void Offer(WatchEvent change)
    {
        if (change.Type == ChangeType.Bookmark || Namespace is null || change.Namespace == Namespace)
        {
            _events.Writer.TryWrite(change);
        }
    }

    internal void Complete() => _events.Writer.TryComplete();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _events.Writer.TryComplete();
            _onDispose(this);
        }
    }
}
