using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dashboard.Kubernetes.Query;
using k8s.Autorest;

namespace Dashboard.Kubernetes.Sync;

/// <summary>Turns whatever a request threw into an <see cref="ApiError"/> in the API's own words.</summary>
public static class ApiErrorClassifier
{
    public static ApiError Classify(Exception exception) => exception switch
    {
        ApiStatusException status => status.Error,
        HttpOperationException http => FromResponse((int)http.Response.StatusCode, http.Response.Content),
        WatchIdleException idle => new ApiError(ApiErrorKind.Timeout, null, "Timeout", idle.Message),
        TimeoutException or TaskCanceledException or OperationCanceledException =>
            new ApiError(ApiErrorKind.Timeout, null, "Timeout", "The API server did not answer in time."),
        HttpRequestException { InnerException: SocketException socket } =>
            new ApiError(ApiErrorKind.Network, null, socket.SocketErrorCode.ToString(), socket.Message),
        HttpRequestException request => new ApiError(ApiErrorKind.Network, null, request.HttpRequestError.ToString(), request.Message),
        IOException io => new ApiError(ApiErrorKind.Network, null, "ConnectionReset", io.Message),
        _ => new ApiError(ApiErrorKind.Other, null, exception.GetType().Name, exception.Message),
    };

    /// <summary>From an HTTP status code and a body that is usually a Status object.</summary>
    public static ApiError FromResponse(int code, string? body)
    {
        string? reason = null;
        string? message = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    reason = Cache.JobJson.GetString(document.RootElement, "reason"u8);
                    message = Cache.JobJson.GetString(document.RootElement, "message"u8);
                }
            }
            catch (JsonException)
            {
                message = body.Length > 500 ? body[..500] : body;
            }
        }

        return new ApiError(KindOf(code), code, reason ?? ((HttpStatusCode)code).ToString(), message ?? $"HTTP {code}");
    }

    public static ApiError FromStatus(JsonElement status)
    {
        var code = Cache.JobJson.GetInt(status, "code"u8);
        return new ApiError(
            code is { } c ? KindOf(c) : ApiErrorKind.Other,
            code,
            Cache.JobJson.GetString(status, "reason"u8),
            Cache.JobJson.GetString(status, "message"u8) ?? "The watch reported an error.");
    }

    public static ApiErrorKind KindOf(int code) => code switch
    {
        401 => ApiErrorKind.Unauthorized,
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
