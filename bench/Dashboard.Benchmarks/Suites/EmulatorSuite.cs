using Dashboard.Benchmarks.Infrastructure;
using static Dashboard.Benchmarks.Infrastructure.ResultTable;

namespace Dashboard.Benchmarks.Suites;

/// <summary>Issue 2: the emulator's list throughput, and a full paged list through KubernetesClient beside kubectl.</summary>
internal static class EmulatorSuite
{
    public static async Task<string> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var environment = await BenchEnvironment.StartAsync(settings, cancellationToken);
        using var typed = Peers.TypedClient(environment.KubeConfig);
        var kubectl = Peers.KubectlAvailable();
        List<double> bare = [], client = [], kubectlTimes = [];
        long bytes = 0;
        var pages = 0;

        // Run 0 warms up (JIT, connections, kubectl's discovery cache); runs are interleaved so drift hits all alike.
        for (var run = 0; run <= settings.Runs; run++)
        {
            var transfer = await Peers.BareTransferAsync(environment.Client, settings, cancellationToken);
            var list = await Peers.TypedListAsync(typed, settings, cancellationToken);
            if (list.Items != settings.Jobs)
            {
                throw new InvalidOperationException($"KubernetesClient listed {list.Items} jobs, expected {settings.Jobs}.");
            }

            var kubectlTime = kubectl ? await Peers.KubectlListAsync(environment.KubeConfig, settings, cancellationToken) : TimeSpan.Zero;
            Console.Error.WriteLine($"run {run}: bare {transfer.Time.TotalMilliseconds:0} ms, client {list.Time.TotalMilliseconds:0} ms, kubectl {kubectlTime.TotalMilliseconds:0} ms");
            if (run == 0)
            {
                continue;
            }

            (bytes, pages) = (transfer.Bytes, transfer.Pages.Count);
            bare.Add(transfer.Time.TotalMilliseconds);
            client.Add(list.Time.TotalMilliseconds);
            kubectlTimes.Add(kubectlTime.TotalMilliseconds);
        }

        var table = new ResultTable($"emulator — {settings.Jobs:N0} jobs of the example's size, pages of {settings.PageSize} (medians of {settings.Runs} runs)");
        var bareMedian = Statistics.Median(bare);
        var clientMedian = Statistics.Median(client);
        var kubectlMedian = Statistics.Median(kubectlTimes);
        table.Add("List JSON served", $"{MiB(bytes)} in {pages} pages");
        table.Add("Emulator list throughput (raw HttpClient, each page read fully)", $"{Number(bytes / (1024.0 * 1024.0) / (bareMedian / 1000), "0")} MiB/s ({Ms(bareMedian)} per full list)");
        if (kubectl)
        {
            var ratio = clientMedian / kubectlMedian;
            table.Add("Full paged list, KubernetesClient (typed PyTorchJobList pages)", Ms(clientMedian), $"kubectl get -o json --chunk-size={settings.PageSize}: {Ms(kubectlMedian)}", Number(ratio), "≤ 0.25", ratio <= 0.25);
        }
        else
        {
            table.Add("Full paged list, KubernetesClient (typed PyTorchJobList pages)", Ms(clientMedian), "kubectl not on PATH");
        }

        table.Add("Loading the jobs (POST, 8 at a time)", Ms(environment.LoadTime.TotalMilliseconds));
        return table.ToMarkdown();
    }
}
