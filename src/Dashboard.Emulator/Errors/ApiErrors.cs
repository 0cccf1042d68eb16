using k8s.Models;
using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Errors;

/// <summary>The API server's own Status bodies: codes, reasons and messages as kube-apiserver words them.</summary>
public static class ApiErrors
{
    public const string ExpiredContinueMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
        + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
        + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    public static StatusException Failure(int code, string reason, string message, V1StatusDetails? details = null, V1ListMeta? metadata = null) =>
        new(new V1Status
        {
            ApiVersion = "v1",
            Kind = "Status",
            Metadata = metadata ?? new V1ListMeta(),
            Status = "Failure",
            Message = message,
            Reason = reason,
            Details = details,
            Code = code,
        });

    public static StatusException BadRequest(string message) => Failure(400, "BadRequest", message);

    public static StatusException Unauthorized() => Failure(401, "Unauthorized", "Unauthorized");

    /// <summary>The path names no served resource (also every pytorchjobs path without the CRD).</summary>
    public static StatusException UnknownPath() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new V1StatusDetails());

    public static StatusException NotFound(ResourceKind kind, string name) =>
        Failure(404, "NotFound", $"{kind.QualifiedResource} \"{name}\" not found",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Plural });

    public static StatusException AlreadyExists(ResourceKind kind, string name) =>
        Failure(409, "AlreadyExists", $"{kind.QualifiedResource} \"{name}\" already exists",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Plural });

    public static StatusException Conflict(ResourceKind kind, string name) =>
        Failure(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Plural });

    public static StatusException PreconditionConflict(ResourceKind kind, string name, string what, string expected, string actual) =>
        Failure(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": the {what} in the precondition ({expected}) does not match the {what} in record ({actual}). The object might have been modified",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Plural });

    public static StatusException Invalid(ResourceKind kind, string name, IReadOnlyList<FieldError> errors)
    {
        // As field.ErrorList.ToAggregate: repeated messages once, brackets only around several (the causes keep all).
        var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var joined = messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
        var groupKind = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        return Failure(422, "Invalid", $"{groupKind} \"{name}\" is invalid: {joined}",
            new V1StatusDetails
            {
                Name = name,
                Group = NullIfEmpty(kind.Group),
                Kind = kind.Kind,
                Causes = errors.Select(e => new V1StatusCause { Reason = e.Reason, Message = e.Detail, Field = e.Field }).ToList(),
            });
    }

    public static StatusException ExpiredContinue(string inconsistentContinue) =>
        Failure(410, "Expired", ExpiredContinueMessage, metadata: new V1ListMeta { ContinueProperty = inconsistentContinue });

    public static StatusException ExpiredList() => Failure(410, "Expired", "The resourceVersion for the provided list is too old.");

    public static StatusException TooOldWatch(long requested, long oldest) =>
        Failure(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public static StatusException TooLargeResourceVersion(long requested, long current) =>
        Failure(504, "Timeout", $"Timeout: Too large resource version: {requested}, current: {current}",
            new V1StatusDetails
            {
                Causes = [new V1StatusCause { Reason = "ResourceVersionTooLarge", Message = "Too large resource version" }],
                RetryAfterSeconds = 1,
            });

    public static StatusException InternalError(string message, int? retryAfterSeconds = null) =>
        Failure(500, "InternalError", $"Internal error occurred: {message}",
            new V1StatusDetails { Causes = [new V1StatusCause { Message = message }], RetryAfterSeconds = retryAfterSeconds });

    /// <summary>As API Priority and Fairness (or max-in-flight) rejects a request; the pipeline adds Retry-After.</summary>
    public static StatusException TooManyRequests(int retryAfterSeconds) =>
        Failure(429, "TooManyRequests", "Too many requests, please try again later.",
            new V1StatusDetails { RetryAfterSeconds = retryAfterSeconds });

    public static StatusException ServiceUnavailable(string message, int? retryAfterSeconds = null) =>
        Failure(503, "ServiceUnavailable", message,
            retryAfterSeconds is { } seconds ? new V1StatusDetails { RetryAfterSeconds = seconds } : null);

    public static StatusException Timeout(string message, int? retryAfterSeconds = null) =>
        Failure(504, "Timeout", $"Timeout: {message}", new V1StatusDetails { RetryAfterSeconds = retryAfterSeconds });

    public static StatusException MethodNotSupported(ResourceKind kind, string verb) =>
        Failure(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource",
            new V1StatusDetails { Group = NullIfEmpty(kind.Group), Kind = kind.Plural, Causes = [new V1StatusCause { Message = verb }] });

    public static StatusException UnsupportedMediaType(string contentType) =>
        Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml; got {contentType}");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>One field validation error, worded as apimachinery's field.Error.</summary>
public sealed record FieldError(string Field, string Reason, string Detail)
{
    public static FieldError Required(string field, string detail) => new(field, "FieldValueRequired", $"Required value: {detail}");

    public static FieldError InvalidValue(string field, string valueText, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {valueText}: {detail}");

    public static FieldError Unsupported(string field, string value, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");

    public static FieldError Forbidden(string field, string detail) => new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    public override string ToString() => $"{Field}: {Detail}";
}
