using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Diagnostics;

/// <summary>List/watch log messages (event ids 1100–1199). Routine watch turns are Debug; state changes Information; failures Warning.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(1100, LogLevel.Debug, "Namespace '{Namespace}': listing PyTorchJobs (page size {PageSize})")]
    public static partial void ListStarted(ILogger logger, string @namespace, int pageSize);

    [LoggerMessage(1101, LogLevel.Information, "Namespace '{Namespace}': listed {Items} jobs in {Pages} pages in {DurationMs:0} ms at resourceVersion {ResourceVersion}")]
    public static partial void ListCompleted(ILogger logger, string @namespace, int items, int pages, double durationMs, string resourceVersion);

    [LoggerMessage(1102, LogLevel.Information, "Namespace '{Namespace}': resourceVersion expired (410: {Message}); relisting")]
    public static partial void Relisting(ILogger logger, string @namespace, string message);

    [LoggerMessage(1103, LogLevel.Debug, "Namespace '{Namespace}': watch started from resourceVersion {ResourceVersion}")]
    public static partial void WatchStarted(ILogger logger, string @namespace, string resourceVersion);

    [LoggerMessage(1104, LogLevel.Debug, "Namespace '{Namespace}': watch ended after {Events} events in {DurationSeconds:0.0} s at resourceVersion {ResourceVersion}; watching again")]
    public static partial void WatchEnded(ILogger logger, string @namespace, int events, double durationSeconds, string resourceVersion);

    [LoggerMessage(1105, LogLevel.Warning, "Namespace '{Namespace}': {Kind} {Code} {Reason}: {Message}; attempt {Attempt}, retrying in {Delay} (backoff)")]
    public static partial void Failed(ILogger logger, string @namespace, ApiErrorKind kind, int? code, string? reason, string message, int attempt, TimeSpan delay);

    [LoggerMessage(1106, LogLevel.Warning, "Namespace '{Namespace}': the API refuses: {Kind} {Code} {Reason}: {Message}; attempt {Attempt}, retrying in {Delay}")]
    public static partial void Refused(ILogger logger, string @namespace, ApiErrorKind kind, int? code, string? reason, string message, int attempt, TimeSpan delay);

    [LoggerMessage(1107, LogLevel.Information, "Namespace '{Namespace}': live again after {Attempts} failed attempts")]
    public static partial void Recovered(ILogger logger, string @namespace, int attempts);

    [LoggerMessage(1108, LogLevel.Debug, "Namespace '{Namespace}': sync loop stopped")]
    public static partial void Stopped(ILogger logger, string @namespace);

    [LoggerMessage(1109, LogLevel.Debug, "Namespace '{Namespace}': ignoring watch event type {Type}")]
    public static partial void UnknownEvent(ILogger logger, string @namespace, string? type);
}
