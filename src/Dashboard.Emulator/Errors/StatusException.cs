using k8s.Models;

namespace Dashboard.Emulator.Errors;

/// <summary>A failure the API answers with a Status body; thrown by the store and the request handlers.</summary>
public sealed class StatusException(V1Status status) : Exception(status.Message)
{
    public V1Status Status { get; } = status;

    public int Code => Status.Code ?? 500;
}
