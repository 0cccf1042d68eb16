using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Sync;

/// <summary>
/// List, then watch, forever, for one namespace ("" = all): paged LIST (limit/continue), WATCH from the
/// list's resourceVersion with bookmarks and a timeout, re-watch from the last resourceVersion when a
/// stream ends, relist on 410, capped exponential backoff with jitter on other failures, and a watch that
/// stays quiet past its timeout is treated as dead. Every state change goes to the target.
/// </summary>
public sealed class JobListWatcher
{
    private const int MaxExpiredInARow = 3;

    private readonly IKubernetesConnection _connection;
    private readonly string _namespace;
    private readonly KubernetesOptions _options;
    private readonly TimeProvider _time;
    private readonly IJobSyncTarget _target;
    private readonly StringPool _pool;
    private readonly ILogger _logger;
    private readonly RetryBackoff _backoff;

    private SyncStatus _status = new(SyncPhase.Syncing);
    private bool _everSynced;
    private DateTimeOffset? _lastSyncedAt;
    private DateTimeOffset? _failingSince;
    private int _attempt;
    private int _expiredInARow;
    private ListProgress? _listInProgress;

    public JobListWatcher(
        IKubernetesConnection connection, string @namespace, KubernetesOptions options, TimeProvider time,
        IJobSyncTarget target, StringPool pool, ILogger logger)
    {
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
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var client = await _connection.GetClientAsync(cancellationToken).ConfigureAwait(false);
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(client, cancellationToken).ConfigureAwait(false);
                }

                resourceVersion = await WatchAsync(client, resourceVersion, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                var error = ApiErrorClassifier.Classify(exception);
                if (ApiErrorClassifier.IsExpired(error))
                {
                    // The resourceVersion or continue token was compacted away: start over with a fresh list,
                    // at once the first few times in a row, then with backoff like any other failure.
                    Counters.ExpiredSeen();
                    _listInProgress = null;
                    resourceVersion = null;
                    if (++_expiredInARow <= MaxExpiredInARow)
                    {
                        _logger.LogDebug("Namespace '{Namespace}': {Message}; relisting", _namespace, error.Message);
                        continue;
                    }
                }

                await FailAsync(error, cancellationToken).ConfigureAwait(false);
            }
        }
    }

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
        var phase = refusal ? SyncPhase.Error
            : _everSynced && now - _failingSince.Value >= _options.StaleAfter ? SyncPhase.Stale
            : SyncPhase.Reconnecting;
        _logger.LogWarning(
            "Namespace '{Namespace}': {Kind} {Code} {Reason}: {Message}; attempt {Attempt}, retrying in {Delay}",
            _namespace, error.Kind, error.Code, error.Reason, error.Message, _attempt, delay);
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

    private void Succeeded()
    {
        _attempt = 0;
        _failingSince = null;
        _expiredInARow = 0;
        _everSynced = true;
        _lastSyncedAt = _time.GetUtcNow();
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
            _listInProgress = new ListProgress();
        }

        var progress = _listInProgress;

        // The next page is requested as soon as this one's continue token is known, so the
        // transfer of page N+1 overlaps the mapping of page N.
        Task<HttpOperationResponse<JsonElement>>? next = FetchPageAsync(client, progress.ContinueToken, cancellationToken);
        try
        {
            while (next is not null)
            {
                using var response = await next.ConfigureAwait(false);
                next = null;
                Counters.ListPage();
                var body = response.Body;
                var metadata = JobJson.GetObject(body, "metadata"u8);
                var resourceVersion = metadata is { } m1 ? JobJson.GetString(m1, "resourceVersion"u8) ?? progress.ResourceVersion : progress.ResourceVersion;
                var continueToken = metadata is { } m2 ? JobJson.GetString(m2, "continue"u8) : null;
                long? remaining = metadata is { } m3 && m3.TryGetProperty("remainingItemCount"u8, out var r) && r.ValueKind == JsonValueKind.Number
                    ? r.GetInt64()
                    : null;
                if (!string.IsNullOrEmpty(continueToken))
                {
                    next = FetchPageAsync(client, continueToken, cancellationToken);
                }

                var jobs = new List<JobEntry>();
                if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("items"u8, out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    jobs.Capacity = items.GetArrayLength();
                    foreach (var item in items.EnumerateArray())
                    {
                        jobs.Add(ToEntry(item));
                    }
                }

                var loaded = progress.Loaded + jobs.Count;
                int? estimated = remaining is { } left ? (int)Math.Min(int.MaxValue, loaded + left)
                    : string.IsNullOrEmpty(continueToken) ? loaded : null;
                var status = _everSynced && _attempt == 0 ? _status : new SyncStatus(SyncPhase.Syncing, loaded, estimated, LastSyncedAt: _lastSyncedAt);
                _status = status;
                _target.OnListPage(jobs, resourceVersion, status);
                progress.Loaded = loaded;
                progress.ResourceVersion = resourceVersion;
                progress.ContinueToken = continueToken;
            }
        }
        finally
        {
            // A page still in flight when this one failed: observe and release it.
            if (next is not null)
            {
                _ = next.ContinueWith(
                    static t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            t.Result.Dispose();
                        }
                        else
                        {
                            _ = t.Exception;
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default);
            }
        }

        _listInProgress = null;
        Succeeded();
        _status = new SyncStatus(SyncPhase.Live, progress.Loaded, progress.Loaded, LastSyncedAt: _lastSyncedAt);
        _target.OnListCompleted(progress.ResourceVersion, _status);
        return progress.ResourceVersion;
    }

    private async Task<HttpOperationResponse<JsonElement>> FetchPageAsync(IKubernetes client, string? continueToken, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.RequestTimeoutSeconds));
        return string.IsNullOrEmpty(_namespace)
            ? await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
                PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, PyTorchJob.KubePlural,
                continueParameter: continueToken, limit: _options.PageSize, cancellationToken: timeout.Token).ConfigureAwait(false)
            : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(
                PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, _namespace, PyTorchJob.KubePlural,
                continueParameter: continueToken, limit: _options.PageSize, cancellationToken: timeout.Token).ConfigureAwait(false);
    }

    private sealed class ListProgress
    {
        public string? ContinueToken { get; set; }

        public string ResourceVersion { get; set; } = "";

        public int Loaded { get; set; }
    }

    private JobEntry ToEntry(JsonElement item) => new(JobSummaryMapper.FromJson(item, _pool), JobJson.CompactBytes(item));

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
                throw new ApiStatusException(ApiErrorClassifier.FromResponse((int)response.StatusCode, body));
            }

            Counters.WatchOpened();

            // The stream is open: whatever failed before has healed.
            if (_status.Phase != SyncPhase.Live)
            {
                Succeeded();
                Publish(new SyncStatus(SyncPhase.Live, LastSyncedAt: _lastSyncedAt));
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

                        events++;
                        Counters.WatchEvent();
                        resourceVersion = HandleEvent(line, resourceVersion);
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
                break;
            case "DELETED":
                _target.OnDelete(ToEntry(obj));
                break;
            case "BOOKMARK":
                if (eventVersion is not null)
                {
                    _target.OnResourceVersion(eventVersion);
                }

                break;
            default:
                _logger.LogDebug("Namespace '{Namespace}': ignoring watch event type {Type}", _namespace, type);
                break;
        }

        return eventVersion ?? resourceVersion;
    }

    private static string Truncate(ReadOnlySequence<byte> line) =>
        Encoding.UTF8.GetString(line.Length > 200 ? line.Slice(0, 200) : line);
}
