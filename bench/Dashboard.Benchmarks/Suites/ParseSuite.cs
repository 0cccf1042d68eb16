using System.Diagnostics;
using System.Text.Json;
using Dashboard.Benchmarks.Infrastructure;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Sync;
using static Dashboard.Benchmarks.Infrastructure.ResultTable;

namespace Dashboard.Benchmarks.Suites;

/// <summary>
/// CPU only: reading the list pages' jobs (ListPage.ReadJobs) on one thread, repeated, beside two floors measured
/// on the same bytes: tokenizing every page with Utf8JsonReader and doing nothing else, and copying every byte once.
/// Minimums and medians of many passes (the minimum is the figure least moved by other processes).
/// </summary>
internal static class ParseSuite
{
    public static async Task<string> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var environment = await BenchEnvironment.StartAsync(settings, cancellationToken);
        var pages = await FetchPagesAsync(environment, settings, cancellationToken);
        var bytes = pages.Sum(p => (long)p.Length);
        var passes = Math.Max(10, settings.Runs * 4);
        List<double> read = [], tokenize = [], copy = [];
        for (var pass = 0; pass <= passes; pass++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var readTime = Time(() => ReadJobs(pages));
            var tokenizeTime = Time(() => Tokenize(pages));
            var copyTime = Time(() => Copy(pages));
            if (pass > 0)
            {
                read.Add(readTime);
                tokenize.Add(tokenizeTime);
                copy.Add(copyTime);
            }
        }

        var table = new ResultTable($"parse — reading {MiB(bytes)} of list pages ({settings.Jobs:N0} jobs) on one thread, {passes} passes after one warm-up");
        table.Add("ListPage.ReadJobs over every page (summaries + cached JSON)", $"min {Ms(read.Min())}, median {Ms(Statistics.Median(read))}", $"{bytes / read.Min() / 1000:0} MB/s at the min");
        table.Add("Floor: Utf8JsonReader.Read over every token, nothing else", $"min {Ms(tokenize.Min())}, median {Ms(Statistics.Median(tokenize))}");
        table.Add("Floor: one copy of every byte (fresh arrays)", $"min {Ms(copy.Min())}, median {Ms(Statistics.Median(copy))}");
        return table.ToMarkdown();
    }

    private static double Time(Func<int> work)
    {
        var started = Stopwatch.GetTimestamp();
        var result = work();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        GC.KeepAlive(result);
        return elapsed;
    }

    private static int ReadJobs(List<byte[]> pages)
    {
        var pool = new StringPool();
        var jobs = 0;
        foreach (var body in pages)
        {
            jobs += ListPage.Read(body, body.Length).ReadJobs(pool).Count;
        }

        return jobs;
    }

    private static int Tokenize(List<byte[]> pages)
    {
        var tokens = 0;
        foreach (var body in pages)
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }

    private static int Copy(List<byte[]> pages)
    {
        var total = 0;
        foreach (var body in pages)
        {
            total += body.AsSpan().ToArray().Length;
        }

        return total;
    }

    internal static async Task<List<byte[]>> FetchPagesAsync(BenchEnvironment environment, BenchSettings settings, CancellationToken cancellationToken)
    {
        var (_, uris) = await environment.Client.FetchAllPagesAsync(settings.Namespace, settings.PageSize, cancellationToken);
        using var http = new HttpClient();
        var pages = new List<byte[]>();
        foreach (var uri in uris)
        {
            pages.Add(await http.GetByteArrayAsync(uri, cancellationToken));
        }

        return pages;
    }
}
