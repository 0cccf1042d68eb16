using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Sync;

/// <summary>
/// List, then watch, forever, for one namespace ("" = all): paged LIST (limit/continue), WATCH from the
/// list's resourceVersion with bookmarks and a timeout, re-watch from the last resourceVersion when a
/// stream ends, relist on 410, capped exponential backoff with jitter on other failures (at least the
/// server's Retry-After when it gives one, as on 429), and a watch that stays quiet past its timeout is
/// treated as dead. A list that fails part way (but not on its continue token) resumes at the failed page.
/// Every state change goes to the target.
/// </summary>
public sealed class JobListWatcher
{
    private const int MaxExpiredInARow = 3;

    // The longest wait a Retry-After can impose (unless MaxBackoff is longer): a bogus header must not stall the cache for hours.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    // Pages of a list fetched, read or waiting to be applied at once; each holds one page buffer.
    private const int PagesInFlight = 4;

    private readonly IKubernetesConnection _connection;
    private readonly string _namespace;
    private readonly KubernetesOptions _options;
    private readonly TimeProvider _time;
    private readonly IJobSyncTarget _target;
    private readonly StringPool _pool;
    private readonly ILogger _logger;
    private readonly RetryBackoff _backoff;
    private readonly KubernetesMetrics? _metrics;
    private readonly KeyValuePair<string, object?> _namespaceTag;

    private SyncStatus _status = new(SyncPhase.Syncing);
    private bool _everSynced;
    private DateTimeOffset? _lastSyncedAt;
    private int _listedItems;
    private DateTimeOffset? _failingSince;
    private int _attempt;
    private int _expiredInARow;
    private ListProgress? _listInProgress;

    // Where the next watch starts: the list's resourceVersion, then that of every event and bookmark as it is
    // applied, so a watch that breaks midway resumes after the last thing it delivered. Null = list again.
    private string? _resumeVersion;

    public JobListWatcher(
        IKubernetesConnection connection, string @namespace, KubernetesOptions options, TimeProvider time,
        IJobSyncTarget target, StringPool pool, ILogger logger, KubernetesMetrics? metrics = null)
    {
        _metrics = metrics;
        _namespaceTag = KubernetesMetrics.NamespaceTag(@namespace);
        _connection = connection;
        _namespace = @namespace;
        _options = options;
        _time = time;
        _target = target;
        _pool = pool;
        _logger = logger;
        _backoff = new RetryBackoff(options.InitialBackoff, options.MaxBackoff);
    }

    public SyncStatus Status => _status;

    public SyncCounters Counters { get; } = new();

    /// <summary>Runs until cancelled; never throws anything but cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var client = await _connection.GetClientAsync(cancellationToken).ConfigureAwait(false);
                _resumeVersion ??= await ListAsync(client, cancellationToken).ConfigureAwait(false);
                await WatchAsync(client, _resumeVersion, cancellationToken).ConfigureAwait(false);
                _metrics?.WatchRestarted(_namespaceTag, "closed");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                var error = ApiErrorClassifier.Classify(exception, _time);
                _metrics?.WatchRestarted(_namespaceTag, KubernetesMetrics.RestartReason(error));
                if (ApiErrorClassifier.IsExpired(error))
                {
                    // The resourceVersion or continue token was compacted away: start over with a fresh list,
                    // at once the first few times in a row, then with backoff like any other failure.
                    // The count goes back to zero only once a watch delivers something, so a server that answers
                    // every watch with 410 gets backoff, not a relist loop.
                    Counters.ExpiredSeen();
                    _listInProgress = null;
                    _resumeVersion = null;
                    if (++_expiredInARow <= MaxExpiredInARow)
                    {
                        SyncLog.Relisting(_logger, _namespace, error.Message);
                        continue;
                    }
                }
                else if (_listInProgress is { ContinueToken: not null } && IsRejectedContinue(error))
                {
                    // The server refuses this continue token itself (not the caller, not "too many"): asking again with
                    // it would fail forever, so the next attempt lists from the start.
                    _listInProgress = null;
                }

                await FailAsync(error, cancellationToken).ConfigureAwait(false);
            }
        }

        SyncLog.Stopped(_logger, _namespace);
    }

    private static bool IsRejectedContinue(ApiError error) =>
        error.Code is >= 400 and < 500 and not (401 or 403 or 410 or 429);

    private async Task FailAsync(ApiError error, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        Counters.Failed();
        _attempt++;
        _failingSince ??= now;
        var refusal = ApiErrorClassifier.IsRefusal(error);
        var delay = refusal
            ? _options.ErrorRetryInterval * (0.9 + (0.2 * Random.Shared.NextDouble()))
            : _backoff.Delay(_attempt);
        if (error.RetryAfter is { } asked)
        {
            delay = HonourRetryAfter(delay, asked, _options.MaxBackoff, Random.Shared.NextDouble());
        }

        var phase = refusal ? SyncPhase.Error
            : _everSynced && now - _failingSince.Value >= _options.StaleAfter ? SyncPhase.Stale
            : SyncPhase.Reconnecting;
        if (refusal)
        {
            SyncLog.Refused(_logger, _namespace, error.Kind, error.Code, error.Reason, error.Message, _attempt, delay);
        }
        else
        {
            SyncLog.Failed(_logger, _namespace, error.Kind, error.Code, error.Reason, error.Message, _attempt, delay);
        }

        // Start the clock before telling anyone when the next attempt is, so "next at" is exact.
        var wait = Task.Delay(delay, _time, cancellationToken);
        Publish(new SyncStatus(
            phase,
            Attempt: _attempt,
            NextAttemptAt: now + delay,
            StaleSince: phase == SyncPhase.Reconnecting ? null : _failingSince,
            Error: error,
            LastSyncedAt: _lastSyncedAt));
        await wait.ConfigureAwait(false);
    }

    /// <summary>
    /// The wait before the next attempt when the server asked for <paramref name="asked"/> (429, or 5xx with
    /// Retry-After): at least that, capped at the larger of 5 minutes and <paramref name="maxBackoff"/>, plus up to
    /// 20% jitter so dashboards throttled together do not come back in lockstep; never less than
    /// <paramref name="backoff"/>, the wait the failure would get anyway.
    /// </summary>
    public static TimeSpan HonourRetryAfter(TimeSpan backoff, TimeSpan asked, TimeSpan maxBackoff, double random)
    {
        var cap = maxBackoff > MaxRetryAfter ? maxBackoff : MaxRetryAfter;
        var honoured = asked < TimeSpan.Zero ? TimeSpan.Zero : asked > cap ? cap : asked;
        var jittered = honoured * (1 + (0.2 * Math.Clamp(random, 0, 1)));
        return jittered > backoff ? jittered : backoff;
    }

    /// <summary>
    /// A full list is in: the data is fresh (staleness counts from here), but the retry pace is kept until a
    /// watch proves healthy, so list → failing watch → list ... still backs off.
    /// </summary>
    private void Listed()
    {
        _failingSince = null;
        _everSynced = true;
        _lastSyncedAt = _time.GetUtcNow();
    }

    /// <summary>A watch delivered a real event or ended cleanly: whatever failed before has healed.</summary>
    private void WatchHealthy()
    {
        if (_attempt > 0)
        {
            SyncLog.Recovered(_logger, _namespace, _attempt);
        }

        _attempt = 0;
        _failingSince = null;
        _expiredInARow = 0;
    }

    private void Publish(SyncStatus status)
    {
        _status = status;
        _target.OnStatus(status);
    }

    private async Task<string> ListAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        // A list interrupted by a failure other than 410 resumes at the page that failed: its continue token is still good.
        if (_listInProgress is null)
        {
            _target.OnListStarted();
            Counters.ListStarted();
            SyncLog.ListStarted(_logger, _namespace, _options.PageSize);
            _listInProgress = new ListProgress { StartedAt = _time.GetTimestamp() };
        }

        var progress = _listInProgress;

        // Up to PagesInFlight pages at once: page N+1 is requested as soon as page N's continue token is known
        // (by page N's own fetch, not by the loop below), and each page is read on the thread pool as soon as it
        // has arrived, so fetching and reading run ahead of applying. Pages are still applied one at a time, in
        // order, here; a failed fetch surfaces when its page's turn comes, after the pages before it are applied.
        var kubernetes = client as k8s.Kubernetes ?? throw new InvalidOperationException("Listing needs a k8s.Kubernetes client.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var window = new SemaphoreSlim(PagesInFlight, PagesInFlight);
        var chain = new PageChain(this, kubernetes, progress, window, stop.Token);
        await window.WaitAsync(stop.Token).ConfigureAwait(false);
        var current = chain.Start(progress.ContinueToken);
        var completed = false;
        try
        {
            while (true)
            {
                var page = await current.Fetched.ConfigureAwait(false);
                Counters.ListPage();
                _metrics?.ListPage(_namespaceTag);
                progress.Pages++;
                var resourceVersion = page.ResourceVersion ?? progress.ResourceVersion;
                var continueToken = page.ContinueToken;
                var remaining = page.RemainingItemCount;

                var jobs = await current.Jobs.ConfigureAwait(false);

                var loaded = progress.Loaded + jobs.Count;
                int? estimated = remaining is { } left ? (int)Math.Min(int.MaxValue, loaded + left)
                    : string.IsNullOrEmpty(continueToken) ? loaded : null;
                // A cache that synced before keeps its state (Live, Reconnecting, Stale ...) while it relists: its data stays usable.
                var status = _everSynced ? _status : new SyncStatus(SyncPhase.Syncing, loaded, estimated, LastSyncedAt: _lastSyncedAt);
                _status = status;
                _target.OnListPage(jobs, resourceVersion, status);

                // The jobs hold their own copies now: the page's buffer receives a later page.
                progress.ReturnBuffer(page.Buffer);
                window.Release();
                progress.Loaded = loaded;
                progress.ResourceVersion = resourceVersion;
                progress.ContinueToken = continueToken;
                if (string.IsNullOrEmpty(continueToken))
                {
                    break;
                }

                current = await current.Next.ConfigureAwait(false)
                    ?? throw new InvalidOperationException("A page with a continue token has no next page.");
            }

            completed = true;
        }
        finally
        {
            if (!completed)
            {
                // Pages still in flight after a failure: stop them and wait for them to end (cancelled fetches end
                // at once), so nothing outlives this list's token sources and no failure goes unobserved.
                await stop.CancelAsync().ConfigureAwait(false);
                await PageChain.AbandonAsync(current).ConfigureAwait(false);
            }
        }

        _listInProgress = null;
        var listDuration = _time.GetElapsedTime(progress.StartedAt);
        _metrics?.ListCompleted(_namespaceTag, listDuration);
        SyncLog.ListCompleted(_logger, _namespace, progress.Loaded, progress.Pages, listDuration.TotalMilliseconds, progress.ResourceVersion);
        Listed();
        _listedItems = progress.Loaded;
        _status = new SyncStatus(SyncPhase.Live, progress.Loaded, progress.Loaded, LastSyncedAt: _lastSyncedAt);
        _target.OnListCompleted(progress.ResourceVersion, _status);
        return progress.ResourceVersion;
    }

    /// <summary>
    /// A page being fetched, then read (one pass over its bytes: each job's summary and its own exact-size JSON),
    /// and the page after it, started once this one's continue token is known and the window has room (null after
    /// the last page).
    /// </summary>
    private sealed record PageWork(Task<ListPage> Fetched, Task<List<JobEntry>> Jobs, Task<PageWork?> Next);

    /// <summary>The pages of one list attempt: each page's fetch starts the next page's, within the window.</summary>
    private sealed class PageChain(JobListWatcher watcher, k8s.Kubernetes kubernetes, ListProgress progress, SemaphoreSlim window, CancellationToken cancellationToken)
    {
        /// <summary>Starts a page; the caller holds a place in the window for it.</summary>
        public PageWork Start(string? continueToken)
        {
            var fetched = watcher.FetchPageAsync(kubernetes, continueToken, progress.TakeBuffer(), cancellationToken);
            var jobs = fetched.ContinueWith(
                static (t, state) => t.Result.ReadJobs((StringPool)state!),
                watcher._pool,
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
            return new PageWork(fetched, jobs, NextAsync(fetched));
        }

        private async Task<PageWork?> NextAsync(Task<ListPage> fetched)
        {
            // A failed fetch ends the chain here; the loop sees that failure through the page's own tasks.
            await ((Task)fetched).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!fetched.IsCompletedSuccessfully || string.IsNullOrEmpty(fetched.Result.ContinueToken))
            {
                return null;
            }

            await window.WaitAsync(cancellationToken).ConfigureAwait(false);
            return Start(fetched.Result.ContinueToken);
        }

        /// <summary>Waits for a page and the pages started after it to end, ignoring their failures.</summary>
        public static async Task AbandonAsync(PageWork? work)
        {
            while (work is not null)
            {
                await ((Task)work.Jobs).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                _ = work.Fetched.Exception;
                _ = work.Jobs.Exception;
                await ((Task)work.Next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                work = work.Next.IsCompletedSuccessfully ? work.Next.Result : null;
            }
        }
    }

    /// <summary>
    /// GET one page through the client's HTTP pipeline (its handlers and credentials) and keep its raw UTF-8
    /// body: no typed or JsonElement deserialization, the jobs are sliced out of these bytes. The page's list
    /// metadata is read here, on the fetching thread, so the next request can start before the jobs are read.
    /// </summary>
    private async Task<ListPage> FetchPageAsync(k8s.Kubernetes kubernetes, string? continueToken, byte[]? buffer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.RequestTimeoutSeconds));
        var path = string.IsNullOrEmpty(_namespace)
            ? $"apis/{PyTorchJob.KubeGroup}/{PyTorchJob.KubeVersion}/{PyTorchJob.KubePlural}"
            : $"apis/{PyTorchJob.KubeGroup}/{PyTorchJob.KubeVersion}/namespaces/{Uri.EscapeDataString(_namespace)}/{PyTorchJob.KubePlural}";
        var query = string.IsNullOrEmpty(continueToken)
            ? $"?limit={_options.PageSize}"
            : $"?limit={_options.PageSize}&continue={Uri.EscapeDataString(continueToken)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, path + query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, timeout.Token).ConfigureAwait(false);
        }

        using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            throw new ApiStatusException(ApiErrorClassifier.FromResponse(response, error, _time));
        }

        // Into a buffer reused across the pages of this list (pages are large: no fresh large-object array each).
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        if (stream.CanSeek)
        {
            // The body is buffered (its length is known): one read, into a buffer with room for a slightly larger page.
            var size = checked((int)(stream.Length - stream.Position));
            if (buffer is null || buffer.Length < size)
            {
                buffer = new byte[size + (size / 8) + 1];
            }

            await stream.ReadExactlyAsync(buffer.AsMemory(0, size), timeout.Token).ConfigureAwait(false);
            return ListPage.Read(buffer, size);
        }

        buffer ??= new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return ListPage.Read(buffer, length);
    }

    private sealed class ListProgress
    {
        public string? ContinueToken { get; set; }

        public string ResourceVersion { get; set; } = "";

        public int Loaded { get; set; }

        public int Pages { get; set; }

        public long StartedAt { get; init; }

        // At most PagesInFlight page buffers, reused page after page: taken by the fetches, returned once applied.
        private readonly ConcurrentQueue<byte[]> _freeBuffers = new();

        public byte[]? TakeBuffer() => _freeBuffers.TryDequeue(out var buffer) ? buffer : null;

        public void ReturnBuffer(byte[] buffer) => _freeBuffers.Enqueue(buffer);
    }

    private JobEntry ToEntry(JsonElement item)
    {
        var (summary, json) = JobJsonReader.Read(JsonMarshal.GetRawUtf8Value(item), _pool);
        return new JobEntry(summary, json);
    }

    private async Task<string> WatchAsync(IKubernetes client, string resourceVersion, CancellationToken cancellationToken)
    {
        if (client is not k8s.Kubernetes kubernetes)
        {
            throw new InvalidOperationException("Watching needs a k8s.Kubernetes client.");
        }

        var path = string.IsNullOrEmpty(_namespace)
            ? $"apis/{PyTorchJob.KubeGroup}/{PyTorchJob.KubeVersion}/{PyTorchJob.KubePlural}"
            : $"apis/{PyTorchJob.KubeGroup}/{PyTorchJob.KubeVersion}/namespaces/{Uri.EscapeDataString(_namespace)}/{PyTorchJob.KubePlural}";
        var query = $"?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={_options.WatchTimeoutSeconds}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, path + query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var idleLimit = TimeSpan.FromSeconds(_options.WatchTimeoutSeconds + _options.WatchIdleMarginSeconds);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        idle.CancelAfter(idleLimit);
        var started = _time.GetTimestamp();
        var events = 0;
        try
        {
            if (kubernetes.Credentials is { } credentials)
            {
                await credentials.ProcessHttpRequestAsync(request, linked.Token).ConfigureAwait(false);
            }

            using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                throw new ApiStatusException(ApiErrorClassifier.FromResponse(response, body, _time));
            }

            Counters.WatchOpened();
            SyncLog.WatchStarted(_logger, _namespace, resourceVersion);

            // The stream is open: show Live. The failure counters are reset only once it delivers an event or
            // ends cleanly (a watch that opens and then sends ERROR must keep backing off and can turn Stale).
            if (_status.Phase != SyncPhase.Live)
            {
                // In sync again as of now; the counts stay those of the last list (the watch only adds changes to it).
                _lastSyncedAt = _time.GetUtcNow();
                Publish(new SyncStatus(SyncPhase.Live, _listedItems, _listedItems, LastSyncedAt: _lastSyncedAt));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            var reader = PipeReader.Create(stream);
            try
            {
                while (true)
                {
                    var read = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                    var buffer = read.Buffer;
                    while (TryReadLine(ref buffer, out var line))
                    {
                        idle.CancelAfter(idleLimit);
                        if (line.Length == 0)
                        {
                            continue;
                        }

                        Counters.WatchEvent();
                        resourceVersion = HandleEvent(line, resourceVersion);
                        if (events++ == 0)
                        {
                            WatchHealthy();
                        }
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new WatchIdleException(idleLimit);
        }

        SyncLog.WatchEnded(_logger, _namespace, events, _time.GetElapsedTime(started).TotalSeconds, resourceVersion);
        WatchHealthy();

        // A stream that closes at once with nothing in it: wait a little rather than spin.
        if (events == 0 && _time.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(_options.InitialBackoff, _time, cancellationToken).ConfigureAwait(false);
        }

        return resourceVersion;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private string HandleEvent(ReadOnlySequence<byte> line, string resourceVersion)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var type = JobJson.GetString(root, "type"u8);
        if (!root.TryGetProperty("object"u8, out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            throw new ApiStatusException(new ApiError(ApiErrorKind.Other, null, "BadWatchEvent", "A watch event had no object: " + Truncate(line)));
        }

        if (type == "ERROR" || JobJson.GetString(obj, "kind"u8) == "Status")
        {
            throw new ApiStatusException(ApiErrorClassifier.FromStatus(obj));
        }

        var eventVersion = JobJson.GetObject(obj, "metadata"u8) is { } metadata
            ? JobJson.GetString(metadata, "resourceVersion"u8)
            : null;
        switch (type)
        {
            case "ADDED":
            case "MODIFIED":
                _target.OnUpsert(ToEntry(obj));
                _metrics?.EventApplied(_namespaceTag, type);
                break;
            case "DELETED":
                _target.OnDelete(ToEntry(obj));
                _metrics?.EventApplied(_namespaceTag, type);
                break;
            case "BOOKMARK":
                if (eventVersion is not null)
                {
                    _target.OnResourceVersion(eventVersion);
                }

                break;
            default:
                SyncLog.UnknownEvent(_logger, _namespace, type);
                break;
        }

        if (eventVersion is not null)
        {
            _resumeVersion = eventVersion;
        }

        return eventVersion ?? resourceVersion;
    }

    private static string Truncate(ReadOnlySequence<byte> line) =>
        Encoding.UTF8.GetString(line.Length > 200 ? line.Slice(0, 200) : line);
}
