using System.Buffers;
using System.Text.Json;
using Dashboard.Emulator.Errors;
using Dashboard.Emulator.Serialization;
using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Api;

/// <summary>GET on a collection with watch=true: newline-delimited events, flushed one by one.</summary>
internal static class WatchHandler
{
    // The real server picks a random timeout between 30 and 60 minutes when the client gives none.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public static async Task HandleAsync(HttpContext http, ApiContext api, ResourceRoute route, ListQuery query)
    {
        var countStats = route.Kind == ResourceKind.PyTorchJobs;
        if (countStats)
        {
            api.Stats.CountWatchOpened(route.StatsKey);
        }

        try
        {
            await StreamAsync(http, api, route, query);
        }
        finally
        {
            if (countStats)
            {
                api.Stats.CountWatchClosed(route.StatsKey);
            }
        }
    }

    private static async Task StreamAsync(HttpContext http, ApiContext api, ResourceRoute route, ListQuery query)
    {
        WatchSubscription subscription;
        try
        {
            // WatchList starts from the current state whatever version it names (NotOlderThan is all it allows).
            var from = query.SendInitialEvents ? null : query.ResourceVersionNumber;
            subscription = api.Store.Watch(route.Kind, route.Namespace, from, markInitialEventsEnd: query.SendInitialEvents);
        }
        catch (StatusException e) when (e.Code == 410)
        {
            // Too old a version: 200 with a single ERROR event, then the stream ends.
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            using (var writer = JsonResponses.CreateWriter(http.Response.BodyWriter))
            {
                WatchEventWriter.WriteError(writer, e.Status);
            }

            http.Response.BodyWriter.Write("\n"u8);
            await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
            return;
        }

        using var _ = subscription;
        var timeout = query.TimeoutSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
        using var deadline = new CancellationTokenSource(timeout, api.Time);
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, api.Stopping);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopped.Token, deadline.Token);
        using var bookmarks = query.AllowWatchBookmarks
            ? api.Time.CreateTimer(_ => api.Store.RequestBookmark(subscription), null, api.Options.BookmarkInterval, api.Options.BookmarkInterval)
            : null;

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.StartAsync(http.RequestAborted);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);

        var stream = new EventStream(http, api, route, query, subscription);
        try
        {
            await stream.PumpAsync(ended.Token, stopAfterBookmark: false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopped.IsCancellationRequested)
        {
            if (query.AllowWatchBookmarks && !stream.Cut)
            {
                // A last bookmark just before the deadline, as the real server sends, so the client resumes from it.
                api.Store.RequestBookmark(subscription);
                await stream.PumpAsync(stopped.Token, stopAfterBookmark: true);
            }
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            // The client went away or the host is stopping.
        }
    }

    // Real time on purpose: this is about bytes reaching the socket, not about the emulator's (maybe fake) clock.
    private static readonly TimeSpan AbortDrainTime = TimeSpan.FromMilliseconds(300);

    private sealed class EventStream(HttpContext http, ApiContext api, ResourceRoute route, ListQuery query, WatchSubscription subscription)
    {
        private readonly bool _table = TableRequest.Wants(http.Request);
        private readonly IncludeObject _include = TableRequest.IncludeObject(http.Request);
        private int _sent;

        public bool Cut { get; private set; }

        public async Task PumpAsync(CancellationToken cancellationToken, bool stopAfterBookmark)
        {
            var reader = subscription.Events;
            while (!Cut && await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var change))
                {
                    var wasBookmark = await SendAsync(change);
                    if (Cut || (stopAfterBookmark && wasBookmark))
                    {
                        return;
                    }
                }
            }
        }

        /// <summary>Writes the event as this watch sees it; true when it was a bookmark.</summary>
        private async Task<bool> SendAsync(WatchEvent change)
        {
            if (change.Type == ChangeType.Bookmark)
            {
                if (!query.AllowWatchBookmarks && !change.InitialEventsEnd)
                {
                    return false;
                }

                await WriteLineAsync(w => WatchEventWriter.WriteBookmark(w, route.Kind, change.ResourceVersion, change.InitialEventsEnd));
                return true;
            }

            var type = Classify(change);
            if (type is null)
            {
                return false;
            }

            var item = change.Object!;
            if (_table)
            {
                var now = api.Time.GetUtcNow();
                await WriteLineAsync(w => WatchEventWriter.WriteTable(w, type, route.Kind, item, _include, now));
            }
            else
            {
                await WriteLineAsync(w => WatchEventWriter.Write(w, type, item));
            }

            _sent++;
            var faults = api.Faults.Settings;
            if (faults.AbortWatchAfter is { } abortAfter && _sent >= abortAfter)
            {
                // A reset connection, not a clean end: the client's read fails mid-stream (as on a dropped proxy or node).
                // The events already written get a moment to leave first: an abort discards unsent output.
                Cut = true;
                await Task.Delay(AbortDrainTime, TimeProvider.System, CancellationToken.None);
                api.Stats.CountFault();
                http.Abort();
            }
            else if (faults.CutWatchAfter is { } cutAfter && _sent >= cutAfter)
            {
                Cut = true;
            }

            return false;
        }

        /// <summary>The event type this watch's selectors make of a change: objects entering or leaving them are ADDED / DELETED.</summary>
        private string? Classify(WatchEvent change)
        {
            var matchesNow = Matches(change.Object!);
            switch (change.Type)
            {
                case ChangeType.Added:
                    return matchesNow ? "ADDED" : null;
                case ChangeType.Deleted:
                    return Matches(change.Previous ?? change.Object!) ? "DELETED" : null;
                default:
                    var matchedBefore = change.Previous is { } previous && Matches(previous);
                    return (matchedBefore, matchesNow) switch
                    {
                        (true, true) => "MODIFIED",
                        (false, true) => "ADDED",
                        (true, false) => "DELETED",
                        _ => null,
                    };
            }
        }

        private bool Matches(StoredObject item) => query.Labels.Matches(item.Labels) && query.Fields.Matches(item.Namespace, item.Name);

        private async Task WriteLineAsync(Action<Utf8JsonWriter> write)
        {
            var output = http.Response.BodyWriter;
            using (var writer = JsonResponses.CreateWriter(output))
            {
                write(writer);
            }

            output.Write("\n"u8);
            await output.FlushAsync(http.RequestAborted);
        }
    }
}
