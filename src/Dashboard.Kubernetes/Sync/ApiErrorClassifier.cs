using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Dashboard.Kubernetes.Query;
using k8s.Autorest;

namespace Dashboard.Kubernetes.Sync;

/// <summary>Turns whatever a request threw into an <see cref="ApiError"/> in the API's own words.</summary>
public static class ApiErrorClassifier
{
    /// <param name="exception">What the request threw.</param>
    /// <param name="time">The clock a Retry-After given as an HTTP-date is measured on (default: the system's).</param>
    public static ApiError Classify(Exception exception, TimeProvider? time = null) => exception switch
    {
        ApiStatusException status => status.Error,
        HttpOperationException http => FromResponse(
            (int)http.Response.StatusCode,
            http.Response.Content,
            RetryAfter(http.Response.Headers, (time ?? TimeProvider.System).GetUtcNow())),
        WatchIdleException idle => new ApiError(ApiErrorKind.Timeout, null, "Timeout", idle.Message),
        TimeoutException or TaskCanceledException or OperationCanceledException =>
            new ApiError(ApiErrorKind.Timeout, null, "Timeout", "The API server did not answer in time."),
        HttpRequestException { InnerException: SocketException socket } =>
            new ApiError(ApiErrorKind.Network, null, socket.SocketErrorCode.ToString(), socket.Message),
        HttpRequestException request => new ApiError(ApiErrorKind.Network, null, request.HttpRequestError.ToString(), request.Message),
        IOException io => new ApiError(ApiErrorKind.Network, null, "ConnectionReset", io.Message),
        _ => new ApiError(ApiErrorKind.Other, null, exception.GetType().Name, exception.Message),
    };

    /// <summary>From an HTTP error response (its Retry-After header included) and its body, already read.</summary>
    public static ApiError FromResponse(HttpResponseMessage response, string? body, TimeProvider time) =>
        FromResponse((int)response.StatusCode, body, RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()));

    /// <summary>
    /// From an HTTP status code and a body that is usually a Status object. The wait the server asked for is
    /// <paramref name="retryAfter"/> (from the header) or else the Status's details.retryAfterSeconds.
    /// </summary>
    public static ApiError FromResponse(int code, string? body, TimeSpan? retryAfter = null)
    {
        string? reason = null;
        string? message = null;
        TimeSpan? statusRetryAfter = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    reason = Cache.JobJson.GetString(document.RootElement, "reason"u8);
                    message = Cache.JobJson.GetString(document.RootElement, "message"u8);
                    statusRetryAfter = RetryAfterSeconds(document.RootElement);
                }
            }
            catch (JsonException)
            {
                message = body.Length > 500 ? body[..500] : body;
            }
        }

        return new ApiError(KindOf(code), code, reason ?? ((HttpStatusCode)code).ToString(), message ?? $"HTTP {code}")
        {
            RetryAfter = retryAfter ?? statusRetryAfter,
        };
    }

    /// <summary>From a Status object (a watch ERROR event).</summary>
    public static ApiError FromStatus(JsonElement status)
    {
        var code = Cache.JobJson.GetInt(status, "code"u8);
        return new ApiError(
            code is { } c ? KindOf(c) : ApiErrorKind.Other,
            code,
            Cache.JobJson.GetString(status, "reason"u8),
            Cache.JobJson.GetString(status, "message"u8) ?? "The watch reported an error.")
        {
            RetryAfter = RetryAfterSeconds(status),
        };
    }

    /// <summary>
    /// A Retry-After header's wait: delta-seconds as given; an HTTP-date as the time left until it (zero once
    /// past); null when absent or unreadable. Capping a wait that is too long is the caller's business.
    /// </summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta >= TimeSpan.Zero ? delta : null,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The Retry-After header's text (the first value if repeated); see the typed overload.</summary>
    public static TimeSpan? RetryAfter(string? header, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(header?.Trim(), out var parsed) ? RetryAfter(parsed, now) : null;

    /// <summary>The Retry-After header among headers copied as name → values (KubernetesClient's HttpOperationException).</summary>
    public static TimeSpan? RetryAfter(IEnumerable<KeyValuePair<string, IEnumerable<string>>>? headers, DateTimeOffset now)
    {
        foreach (var (name, values) in headers ?? [])
        {
            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                return RetryAfter(values?.FirstOrDefault(), now);
            }
        }

        return null;
    }

    /// <summary>details.retryAfterSeconds of a Status; 0 or absent = not said (the API server omits 0).</summary>
    private static TimeSpan? RetryAfterSeconds(JsonElement status) =>
        Cache.JobJson.GetObject(status, "details"u8) is { } details && Cache.JobJson.GetInt(details, "retryAfterSeconds"u8) is > 0 and var seconds
            ? TimeSpan.FromSeconds(seconds)
            : null;

    public static ApiErrorKind KindOf(int code) => code switch
    {
        401 => ApiErrorKind.Unauthorized,
        429 => ApiErrorKind.TooManyRequests,
        403 => ApiErrorKind.Forbidden,
        404 => ApiErrorKind.CrdNotInstalled,
        408 or 504 => ApiErrorKind.Timeout,
        >= 500 => ApiErrorKind.ServerError,
        _ => ApiErrorKind.Other,
    };

    /// <summary>The API refuses and retrying fast will not help: show Error and retry slowly.</summary>
    public static bool IsRefusal(ApiError error) =>
        error.Kind is ApiErrorKind.Unauthorized or ApiErrorKind.Forbidden or ApiErrorKind.CrdNotInstalled;

    public static bool IsExpired(ApiError error) => error.Code == 410;
}

/// <summary>A Status the API answered with (a watch ERROR event, or an HTTP error), carried as an exception.</summary>
public sealed class ApiStatusException(ApiError error) : Exception(error.Message)
{
    public ApiError Error { get; } = error;
}

/// <summary>The watch went quiet for longer than its timeout: the connection is presumed dead.</summary>
public sealed class WatchIdleException(TimeSpan idle) : TimeoutException($"The watch sent nothing for {idle.TotalSeconds:0} s; reconnecting.");
