// Tails the PyTorchJobs of a namespace through the dashboard's SignalR hub.
//   dotnet run --project samples/JobsClient -- [url] [namespace] [labelSelector]
//   dotnet run --project samples/JobsClient -- http://127.0.0.1:5000 team-a "app=bert,tier!=dev"
// An empty namespace ("") streams every namespace. Ctrl+C stops.
using Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection; // AddMessagePackProtocol

var url = args.Length > 0 ? args[0] : "http://127.0.0.1:5000";
var @namespace = args.Length > 1 ? args[1] : "";
var labelSelector = args.Length > 2 ? args[2] : "";

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var connection = new HubConnectionBuilder()
    .WithUrl(new Uri(new Uri(url), "hubs/jobs"))
    .AddMessagePackProtocol()      // or leave it out for JSON: the messages are the same
    .WithAutomaticReconnect()      // retries after 0, 2, 10 and 30 seconds, then gives up (Closed)
    .Build();

connection.Reconnecting += error =>
{
    Console.WriteLine($"connection lost ({error?.Message}); reconnecting ...");
    return Task.CompletedTask;
};
connection.Reconnected += _ =>
{
    Console.WriteLine("reconnected; subscribing again");
    return Task.CompletedTask;
};

// The stream dies with the connection: after every (re)connect, subscribe again and take the new snapshot.
while (!stop.IsCancellationRequested)
{
    try
    {
        await EnsureConnectedAsync(connection, stop.Token);
        await StreamAsync(connection, @namespace, labelSelector, stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        break;
    }
    catch (HubException e)
    {
        // The server refused the call itself (a malformed selector, access denied): retrying will not help.
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    catch (Exception e)
    {
        // Usually the connection dropped; the loop waits for the reconnect and subscribes again.
        Console.WriteLine($"stream ended: {e.Message}");
    }
}

return 0;

static async Task StreamAsync(HubConnection connection, string @namespace, string labelSelector, CancellationToken cancellationToken)
{
    var jobs = new Dictionary<(string Namespace, string Name), JobSummaryDto>();
    var phase = "";
    await foreach (var message in connection.StreamAsync<JobStreamMessage>("StreamJobs", @namespace, labelSelector, cancellationToken))
    {
        if (message.IsSnapshot)
        {
            jobs.Clear();
            foreach (var job in message.Jobs)
            {
                jobs[(job.Namespace, job.Name)] = job;
            }

            Console.WriteLine($"snapshot: {jobs.Count} jobs in {message.Namespace ?? "all namespaces"}" +
                $" (selector \"{message.LabelSelector}\", resourceVersion {message.ResourceVersion}, {message.Sync.Phase})");
            phase = message.Sync.Phase;
            continue;
        }

        foreach (var job in message.Jobs)
        {
            var verb = jobs.ContainsKey((job.Namespace, job.Name)) ? "changed" : "added  ";
            jobs[(job.Namespace, job.Name)] = job;
            Console.WriteLine($"{verb} {job.Namespace}/{job.Name}: {job.State} {job.StateReason}");
        }

        foreach (var key in message.Deletes)
        {
            jobs.Remove((key.Namespace, key.Name));
            Console.WriteLine($"removed {key.Namespace}/{key.Name}");
        }

        if (message.Sync.Phase != phase)
        {
            phase = message.Sync.Phase;
            Console.WriteLine($"sync: {phase} {message.Sync.Error?.Message}");
        }
    }
}

// Starts the connection, or waits for the automatic reconnect to finish; starts again if it gave up.
static async Task EnsureConnectedAsync(HubConnection connection, CancellationToken cancellationToken)
{
    var delay = TimeSpan.FromSeconds(1);
    while (connection.State != HubConnectionState.Connected)
    {
        if (connection.State == HubConnectionState.Disconnected)
        {
            try
            {
                await connection.StartAsync(cancellationToken);
                Console.WriteLine($"connected to {connection.ConnectionId}");
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.WriteLine($"cannot connect ({e.Message}); retrying in {delay.TotalSeconds:0} s");
            }
        }

        // Reconnecting (or a failed start): wait a little and look again.
        await Task.Delay(delay, cancellationToken);
        delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
    }
}
