using Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Hubs;

/// <summary>
/// What a client sees: consumes one StreamJobs stream in the background and applies every message, keeping each
/// message for assertions. Thread-safe reads through snapshots of its state.
/// </summary>
internal sealed class JobView : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Namespace, string Name), JobSummaryDto> _jobs = [];
    private readonly List<JobStreamMessage> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private Exception? _failure;

    public JobView(HubConnection connection, string? @namespace, string? labelSelector)
    {
        _reading = ReadAsync(connection.StreamAsync<JobStreamMessage>("StreamJobs", @namespace, labelSelector, _stop.Token));
    }

    public IReadOnlyList<JobStreamMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public string Phase
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count == 0 ? "" : _messages[^1].Sync.Phase;
            }
        }
    }

    public IReadOnlyDictionary<(string Namespace, string Name), JobSummaryDto> Jobs
    {
        get
        {
            lock (_gate)
            {
                ThrowIfFailed();
                return new Dictionary<(string Namespace, string Name), JobSummaryDto>(_jobs);
            }
        }
    }

    public bool IsLiveWith(int jobCount) => Phase == "Live" && Jobs.Count == jobCount;

    public bool Has(string @namespace, string name) => Jobs.ContainsKey((@namespace, name));

    /// <summary>Every message that mentioned the job, in order: "upsert:&lt;labels&gt;" or "delete".</summary>
    public IReadOnlyList<string> HistoryOf(string @namespace, string name) =>
        Messages.Where(m => !m.IsSnapshot)
            .SelectMany(m => m.Jobs.Where(j => j.Namespace == @namespace && j.Name == name).Select(j => "upsert:" + string.Join(',', j.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")))
                .Concat(m.Deletes.Where(d => d.Namespace == @namespace && d.Name == name).Select(_ => "delete")))
            .ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException("The stream failed.", _failure);
        }
    }

    private async Task ReadAsync(IAsyncEnumerable<JobStreamMessage> stream)
    {
        await Task.Yield();
        try
        {
            await foreach (var message in stream)
            {
                lock (_gate)
                {
                    _messages.Add(message);
                    if (message.IsSnapshot)
                    {
                        _jobs.Clear();
                    }

                    foreach (var job in message.Jobs)
                    {
                        _jobs[(job.Namespace, job.Name)] = job;
                    }

                    foreach (var key in message.Deletes)
                    {
                        _jobs.Remove((key.Namespace, key.Name));
                    }
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_gate)
            {
                _failure = e;
            }
        }
    }
}
