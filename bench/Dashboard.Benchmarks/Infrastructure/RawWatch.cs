using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>
/// The floor for delivery latency: one plain watch on the emulator read line by line in this process, recording when
/// each MODIFIED event arrives. The dashboard's figures are compared with it in the same run. It is one watch on the
/// namespace in the emulator's counts: <see cref="EmulatorStats.WithoutRawWatch"/> takes it out again.
/// </summary>
internal sealed class RawWatch : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop;
    private Task _reading = Task.CompletedTask;

    private RawWatch(HttpClient http, CancellationTokenSource stop)
    {
        _http = http;
        _stop = stop;
    }

    public DeliveryLog Log { get; } = new();

    public static async Task<RawWatch> StartAsync(Uri baseAddress, string @namespace, CancellationToken cancellationToken)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // The current resourceVersion from the control endpoint, not a list: the emulator's list counts stay the dashboard's.
            var path = EmulatorClient.JobsPath(@namespace);
            using var stats = JsonDocument.Parse(await http.GetStringAsync("emulator/stats", cancellationToken));
            var resourceVersion = stats.RootElement.GetProperty("resourceVersion").GetString();
            var response = await http.GetAsync(
                $"{path}?watch=true&resourceVersion={resourceVersion}&timeoutSeconds=1800",
                HttpCompletionOption.ResponseHeadersRead,
                cancellationToken);
            response.EnsureSuccessStatusCode();
            var watch = new RawWatch(http, stop);
            watch._reading = watch.ReadAsync(response, stop.Token);
            return watch;
        }
        catch
        {
            stop.Dispose();
            http.Dispose();
            throw;
        }
    }

    private async Task ReadAsync(HttpResponseMessage response, CancellationToken stop)
    {
        using (response)
        {
            try
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    var receivedAt = Stopwatch.GetTimestamp();
                    using var watchEvent = JsonDocument.Parse(line);
                    var root = watchEvent.RootElement;
                    if (root.GetProperty("type").GetString() == "MODIFIED"
                        && long.TryParse(root.GetProperty("object").GetProperty("metadata").GetProperty("resourceVersion").GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rv))
                    {
                        Log.Record(rv, receivedAt);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped at the end of the measurement.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
        _http.Dispose();
    }
}
