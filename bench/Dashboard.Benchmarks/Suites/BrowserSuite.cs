using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Benchmarks.Infrastructure;
using Microsoft.Playwright;
using static Dashboard.Benchmarks.Infrastructure.ResultTable;

namespace Dashboard.Benchmarks.Suites;

/// <summary>
/// Issue 4: the jobs page in headless Chromium on one namespace of 10,000 jobs, the dashboard in its own process.
/// (a) navigation → first rows visible and → fully synced; (b) emulator write → changed cell in the DOM.
/// </summary>
internal static class BrowserSuite
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);
    private const float PageTimeoutMs = 120_000;
    private const int MaxWritesInFlight = 32;
    private const int MinRowsOnScreen = 5;

    public static async Task<string> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"publishing src/Dashboard (Release) into {settings.AppBuildDirectory} ...");
        var dll = await DashboardApp.PublishAsync(settings.AppBuildDirectory, cancellationToken);
        await using var environment = await BenchEnvironment.StartAsync(settings, cancellationToken);
        await using var app = await DashboardApp.StartAsync(dll, environment.KubeConfig, settings.Namespace, cancellationToken);
        var ready = await app.WaitUntilReadyAsync(SyncTimeout, cancellationToken);
        if (!ready)
        {
            throw new InvalidOperationException($"The dashboard's cache of {settings.Namespace} was not ready within {SyncTimeout}.");
        }

        await using var chromium = await HeadlessChromium.LaunchAsync();
        Console.Error.WriteLine($"dashboard at {app.BaseAddress} (pid {app.ProcessId}), Chromium {chromium.Browser.Version}");
        var path = "jobs?namespace=" + Uri.EscapeDataString(settings.Namespace);

        var loadBefore = LoadAverage();
        var table = new ResultTable(
            $"browser — headless Chromium {chromium.Browser.Version} on /{path}, {settings.Jobs:N0} jobs of the example's size, dashboard in its own process (medians of {settings.Runs} runs)");
        await NavigationAsync(table, chromium, app, path, settings, cancellationToken);
        await WritesToDomAsync(table, chromium, app, environment, path, settings, cancellationToken);
        table.Add("Machine load (/proc/loadavg: 1, 5, 15 min) at the start and the end of the measurements", $"{loadBefore}; {LoadAverage()}");
        return table.ToMarkdown();
    }

    /// <summary>(a) Fresh context per run; the cold run (the app's first page since it started, in a just-launched browser) apart.</summary>
    private static async Task NavigationAsync(ResultTable table, HeadlessChromium chromium, DashboardApp app, string path, BenchSettings settings, CancellationToken cancellationToken)
    {
        // The cold run goes first so nothing has warmed the page's code path in the app; its peers right after it.
        var cold = await NavigateAsync(chromium, app.BaseAddress, path, settings.Jobs);
        var coldHtml = await Fetch.TimeAsync(app.BaseAddress, path, cancellationToken);
        var coldJson = await Fetch.TimeAsync(app.BaseAddress, "api/" + path, cancellationToken);
        Console.Error.WriteLine($"cold: {cold}; html {coldHtml.Time.TotalMilliseconds:0} ms, json {coldJson.Time.TotalMilliseconds:0} ms");

        List<NavigationTimes> runs = [];
        List<double> html = [], json = [];
        long htmlBytes = 0, jsonBytes = 0;
        // Run 0 warms up (browser and app both); the timed runs interleave the peers so drift hits all alike.
        for (var run = 0; run <= settings.Runs; run++)
        {
            var htmlFetch = await Fetch.TimeAsync(app.BaseAddress, path, cancellationToken);
            var jsonFetch = await Fetch.TimeAsync(app.BaseAddress, "api/" + path, cancellationToken);
            var navigation = await NavigateAsync(chromium, app.BaseAddress, path, settings.Jobs);
            Console.Error.WriteLine($"run {run}: {navigation}; html {htmlFetch.Time.TotalMilliseconds:0} ms ({htmlFetch.Bytes} B), json {jsonFetch.Time.TotalMilliseconds:0} ms ({jsonFetch.Bytes} B)");
            if (run == 0)
            {
                continue;
            }

            runs.Add(navigation);
            html.Add(htmlFetch.Time.TotalMilliseconds);
            json.Add(jsonFetch.Time.TotalMilliseconds);
            htmlBytes = htmlFetch.Bytes;
            jsonBytes = jsonFetch.Bytes;
        }

        var firstRows = Statistics.Median([.. runs.Select(r => r.FirstRowsVisible)]);
        var synced = Statistics.Median([.. runs.Select(r => r.SyncedFrame)]);
        var htmlMedian = Statistics.Median(html);
        var jsonMedian = Statistics.Median(json);
        table.Add(
            "Navigation → first rows visible (the later of: prerendered rows in the DOM + next frame, first contentful paint; fresh context each run)",
            $"{Ms(firstRows)} (runs: {Range(runs.Select(r => r.FirstRowsVisible))})",
            $"bare page HTML, HttpClient reading GET /{path} fully ({MiB(htmlBytes)}): {Ms(htmlMedian)}",
            Number(firstRows / htmlMedian),
            "≤ 500 ms",
            firstRows <= 500);
        table.Add(
            $"Navigation → fully synced (circuit interactive, banner Live, all {settings.Jobs:N0} jobs in the grid, next frame)",
            $"{Ms(synced)} (runs: {Range(runs.Select(r => r.SyncedFrame))})",
            $"JSON API, HttpClient reading GET /api/{path} fully ({MiB(jsonBytes)}): {Ms(jsonMedian)}",
            Number(synced / jsonMedian));
        table.Add(
            "Where the navigation's time goes (medians, ms since navigation start)",
            FormattableString.Invariant(
                $"HTML response end {Ms(Statistics.Median([.. runs.Select(r => r.ResponseEnd)]))}, rows in the DOM {Ms(Statistics.Median([.. runs.Select(r => r.FirstRow)]))}, render-blocking stylesheets and scripts loaded {Ms(Statistics.Median([.. runs.Select(r => r.RenderBlockingEnd)]))}, first contentful paint {Ms(Statistics.Median([.. runs.Select(r => r.FirstContentfulPaint)]))}, circuit interactive {Ms(Statistics.Median([.. runs.Select(r => r.Interactive)]))}; GotoAsync → synced seen by Playwright {Ms(Statistics.Median([.. runs.Select(r => r.Wall)]))}; requests per page load {Statistics.Median([.. runs.Select(r => (double)r.Requests)])}, not to 127.0.0.1: {runs.Sum(r => r.OffLoopbackRequests)}"));
        table.Add(
            "Cold first run (the app's first page since it started; browser just launched)",
            $"first rows {Ms(cold.FirstRowsVisible)}, fully synced {Ms(cold.SyncedFrame)}",
            $"right after it: HTML {Ms(coldHtml.Time.TotalMilliseconds)}, JSON API {Ms(coldJson.Time.TotalMilliseconds)} (first call)",
            "",
            "(the target is for the runs above)");
    }

    private static async Task<NavigationTimes> NavigateAsync(HeadlessChromium chromium, Uri baseAddress, string path, int expectedRows)
    {
        await using var context = await chromium.NewContextAsync(baseAddress);
        await context.AddInitScriptAsync(BrowserProbes.Navigation(expectedRows));
        var page = await context.NewPageAsync();
        var requests = 0;
        var offLoopback = 0;
        page.Request += (_, request) =>
        {
            Interlocked.Increment(ref requests);
            if (!request.Url.StartsWith(baseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal))
            {
                Interlocked.Increment(ref offLoopback);
            }
        };
        var started = Stopwatch.GetTimestamp();
        var response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = PageTimeoutMs });
        if (response is not { Ok: true })
        {
            throw new InvalidOperationException($"GET /{path} answered {response?.Status}.");
        }

        await WaitUntilSyncedAsync(page);
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var marks = await page.EvaluateAsync<double[]>(BrowserProbes.ReadNavigation);
        return new NavigationTimes(marks[0], marks[1], marks[2], marks[3], marks[4], marks[5], marks[6], marks[7], wall, requests, offLoopback);
    }

    private static async Task WaitUntilSyncedAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(BrowserProbes.NavigationDone, null, new PageWaitForFunctionOptions { Timeout = PageTimeoutMs, PollingInterval = 10 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The page did not get fully synced in time; it shows: {await page.EvaluateAsync<string>(BrowserProbes.Describe)}", e);
        }
    }

    /// <summary>(b) Paced label writes to the rows on screen; a MutationObserver in the page timestamps each row's change.</summary>
    private static async Task WritesToDomAsync(
        ResultTable table, HeadlessChromium chromium, DashboardApp app, BenchEnvironment environment, string path, BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        await context.AddInitScriptAsync(BrowserProbes.Navigation(settings.Jobs));
        var page = await context.NewPageAsync();
        var pageErrors = 0;
        page.PageError += (_, _) => Interlocked.Increment(ref pageErrors);
        await page.GotoAsync(path, new PageGotoOptions { Timeout = PageTimeoutMs });
        await WaitUntilSyncedAsync(page);
        await page.WaitForFunctionAsync(
            $"() => ({BrowserProbes.RowsOnScreen})().length >= {MinRowsOnScreen}", null, new PageWaitForFunctionOptions { Timeout = PageTimeoutMs, PollingInterval = 50 });
        var keys = await page.EvaluateAsync<string[]>(BrowserProbes.RowsOnScreen);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("before-writes") });
        var clock = await ClockCheck.MeasureAsync(page);
        await page.EvaluateAsync<bool>(BrowserProbes.RowChanges);
        Console.Error.WriteLine($"{keys.Length} rows on screen ({keys[0]} … {keys[^1]}); {clock}; writing {settings.BrowserEventsPerSecond}/s for {settings.WritePhase.TotalSeconds} s ...");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(settings.WritePhase + DrainTimeout + TimeSpan.FromSeconds(120));
        await using var raw = await RawWatch.StartAsync(environment.Process.BaseAddress, settings.Namespace, stop.Token);
        var cpuBefore = ProcessStats.CpuTime(app.ProcessId);
        var windowStarted = Stopwatch.GetTimestamp();
        var writes = await WriteAsync(environment.Client, settings, keys, stop.Token);

        // Drain: collect the page's records until every write's row shows it (or a later write), bounded.
        List<RowChange> changes = [];
        var drainStarted = Stopwatch.GetTimestamp();
        while (true)
        {
            changes.AddRange(RowChange.Parse(await page.EvaluateAsync<string>(BrowserProbes.TakeRowChanges)));
            if (Match.AllSeen(writes.Writes, changes) || Stopwatch.GetElapsedTime(drainStarted) > DrainTimeout)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), stop.Token);
        }

        var cpu = ProcessStats.CpuTime(app.ProcessId) - cpuBefore;
        var window = Stopwatch.GetElapsedTime(windowStarted);
        var rowsAfter = await page.EvaluateAsync<string[]>(BrowserProbes.RowsOnScreen);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("after-writes") });
        if (!rowsAfter.SequenceEqual(keys))
        {
            Console.Error.WriteLine($"rows on screen after the writes: {string.Join(", ", rowsAfter)}");
        }
        var result = Match.Run(writes.Writes, changes);
        var rawLatencies = new List<double>(writes.Writes.Count);
        raw.Log.Match(writes.Writes.ToDictionary(w => w.ResourceVersion, w => w.SentTimestamp), rawLatencies);
        var p99 = Statistics.Percentile(result.Latencies, 99);
        var rawP99 = Statistics.Percentile(rawLatencies, 99);
        Console.Error.WriteLine($"{writes.Writes.Count} writes ({writes.Failed} failed), {changes.Count} row changes seen, lost {result.Lost}, superseded {result.Superseded}, cell mismatches {result.CellMismatches}, page errors {pageErrors}");

        table.Add(
            FormattableString.Invariant($"Emulator write → changed cell in the DOM, {writes.AchievedPerSecond:0} writes/s for {writes.Elapsed.TotalSeconds:0} s to the {keys.Length} rows on screen (status merge-PATCH of Worker active; MutationObserver in the page)"),
            $"p50 {Ms(Statistics.Percentile(result.Latencies, 50))}, p99 {Ms(p99)}, max {Ms(result.Latencies.Count == 0 ? double.NaN : result.Latencies.Max())}",
            $"raw watch on the emulator: p50 {Ms(Statistics.Percentile(rawLatencies, 50))}, p99 {Ms(rawP99)}",
            $"p99 {Number(p99 / rawP99)}×",
            "p99 ≤ 300 ms",
            p99 <= 300);
        table.Add(
            "Writes never seen in the DOM (lost)",
            FormattableString.Invariant($"{result.Lost} of {writes.Writes.Count:N0} ({writes.Failed} writes failed; {result.Superseded} shown only through a later write to the row; {result.CellMismatches} rows at the write's resourceVersion without its value in the Workers cell)"),
            "",
            "",
            "0",
            result.Lost == 0 && writes.Failed == 0 && result.CellMismatches == 0);
        table.Add(
            "Clock check: page's performance.timeOrigin + now() − .NET DateTimeOffset.UtcNow (same machine wall clock)",
            clock.ToString(),
            "",
            "",
            "|offset| ≤ 2 ms",
            Math.Abs(clock.OffsetMs) <= 2);
        table.Add(
            "Dashboard CPU during the write phase (/proc/PID/stat)",
            FormattableString.Invariant($"{cpu.TotalSeconds / window.TotalSeconds * 100:0}% of one core ({cpu.TotalSeconds:0.0} s CPU in {window.TotalSeconds:0.0} s); rows on screen unchanged: {(rowsAfter.SequenceEqual(keys) ? "yes" : "no")}; page errors: {pageErrors}"));
    }

    /// <summary>
    /// Status patches to the rows on screen, round-robin at a fixed rate: each write sets the row's Worker replicas
    /// active to its own sequence number (a visible cell: "n / 0 / 0 of 1"). Each write's send time on both clocks.
    /// </summary>
    private static async Task<BrowserWriteLog> WriteAsync(EmulatorClient emulator, BenchSettings settings, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var perSecond = settings.BrowserEventsPerSecond;
        var total = (int)Math.Round(perSecond * settings.WritePhase.TotalSeconds);
        var writes = new ConcurrentBag<BrowserWrite>();
        var failed = 0;
        var sequence = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var inFlight = new SemaphoreSlim(MaxWritesInFlight);
        var tasks = new List<Task>(total);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            while (Stopwatch.GetElapsedTime(started) < due)
            {
                // Task.Delay(1) wakes about every millisecond: fine pacing for 50 writes per second.
                await Task.Delay(1, cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            var key = keys[i % keys.Count];
            tasks.Add(WriteOneAsync(key, sequence.AddOrUpdate(key, 1, (_, n) => n + 1)));
        }

        await Task.WhenAll(tasks);
        return new BrowserWriteLog([.. writes], failed, Stopwatch.GetElapsedTime(started));

        async Task WriteOneAsync(string key, int active)
        {
            try
            {
                var name = key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];
                var status = new JsonObject { ["replicaStatuses"] = new JsonObject { ["Worker"] = new JsonObject { ["active"] = active } } };
                var sentTimestamp = Stopwatch.GetTimestamp();
                var sentWall = UnixMilliseconds(DateTimeOffset.UtcNow);
                var resourceVersion = await emulator.PatchStatusAsync(settings.Namespace, name, status, cancellationToken);
                writes.Add(new BrowserWrite(key, resourceVersion, active.ToString(CultureInfo.InvariantCulture) + " / ", sentWall, sentTimestamp));
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    /// <summary>A screenshot path in the temp folder (the suite's only files besides the app build), printed on stderr.</summary>
    private static string Screenshot(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "dashboard-bench", $"browser-{name}.png");
        Console.Error.WriteLine($"screenshot: {path}");
        return path;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double UnixMilliseconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).TotalMilliseconds;

    private static string Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "n/a" : $"{Ms(list.Min())} – {Ms(list.Max())}";
    }

    private sealed record NavigationTimes(
        double FirstRow, double FirstRowFrame, double Interactive, double Synced, double SyncedFrame, double FirstContentfulPaint, double ResponseEnd, double RenderBlockingEnd, double Wall, int Requests, int OffLoopbackRequests)
    {
        /// <summary>
        /// Rows in the DOM are not yet on screen: the frame after them can come before the first paint (stylesheets
        /// still loading), so the later of the two counts.
        /// </summary>
        public double FirstRowsVisible => Math.Max(FirstRowFrame, FirstContentfulPaint);

        public override string ToString() => FormattableString.Invariant(
            $"response end {ResponseEnd:0} ms, render-blocking resources {RenderBlockingEnd:0} ms, first row {FirstRow:0} ms (frame {FirstRowFrame:0}), FCP {FirstContentfulPaint:0} ms, interactive {Interactive:0} ms, synced {Synced:0} ms (frame {SyncedFrame:0}), Playwright {Wall:0} ms, {Requests} requests ({OffLoopbackRequests} not to the app)");
    }

    private sealed record BrowserWrite(string Key, long ResourceVersion, string ExpectedCellStart, double SentWallMs, long SentTimestamp);

    private sealed record BrowserWriteLog(IReadOnlyList<BrowserWrite> Writes, int Failed, TimeSpan Elapsed)
    {
        public double AchievedPerSecond => Writes.Count / Elapsed.TotalSeconds;
    }

    /// <summary>One row's data-rv change seen by the page: its key, the new resourceVersion, its Workers cell's text and the page's wall-clock ms.</summary>
    private sealed record RowChange(string Key, long ResourceVersion, string CellText, double SeenWallMs)
    {
        public static IEnumerable<RowChange> Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            List<RowChange> changes = [];
            foreach (var record in document.RootElement.EnumerateArray())
            {
                if (long.TryParse(record[1].GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rv))
                {
                    changes.Add(new RowChange(record[0].GetString()!, rv, record[2].GetString() ?? "", record[3].GetDouble()));
                }
            }

            return changes;
        }
    }

    private sealed record MatchResult(List<double> Latencies, int Lost, int Superseded, int CellMismatches);

    /// <summary>
    /// A write is seen at the first change of its row to its resourceVersion or a later one (two writes of one row
    /// can land in one render; the later one's cell then stands for both). Latency = seen (page clock) − sent (.NET clock).
    /// </summary>
    private static class Match
    {
        public static bool AllSeen(IReadOnlyList<BrowserWrite> writes, IReadOnlyList<RowChange> changes)
        {
            var newest = changes.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Max(c => c.ResourceVersion));
            return writes.All(w => newest.TryGetValue(w.Key, out var rv) && rv >= w.ResourceVersion);
        }

        public static MatchResult Run(IReadOnlyList<BrowserWrite> writes, IReadOnlyList<RowChange> changes)
        {
            var byKey = changes.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.OrderBy(c => c.SeenWallMs).ToList());
            List<double> latencies = [];
            int lost = 0, superseded = 0, mismatches = 0;
            foreach (var write in writes)
            {
                var seen = byKey.TryGetValue(write.Key, out var rowChanges) ? rowChanges.FirstOrDefault(c => c.ResourceVersion >= write.ResourceVersion) : null;
                if (seen is null)
                {
                    lost++;
                    continue;
                }

                latencies.Add(seen.SeenWallMs - write.SentWallMs);
                if (seen.ResourceVersion != write.ResourceVersion)
                {
                    superseded++;
                }
                else if (!seen.CellText.StartsWith(write.ExpectedCellStart, StringComparison.Ordinal))
                {
                    mismatches++;
                }
            }

            return new MatchResult(latencies, lost, superseded, mismatches);
        }
    }

    /// <summary>The page's wall clock against .NET's, read several times; the reading with the shortest round trip wins.</summary>
    private sealed record ClockCheck(double OffsetMs, double UncertaintyMs, double DateNowOffsetMs)
    {
        public static async Task<ClockCheck> MeasureAsync(IPage page)
        {
            ClockCheck? best = null;
            for (var i = 0; i < 10; i++)
            {
                var before = UnixMilliseconds(DateTimeOffset.UtcNow);
                var clocks = await page.EvaluateAsync<double[]>(BrowserProbes.WallClocks);
                var after = UnixMilliseconds(DateTimeOffset.UtcNow);
                var middle = (before + after) / 2;
                var reading = new ClockCheck(clocks[0] - middle, (after - before) / 2, clocks[1] - middle);
                if (best is null || reading.UncertaintyMs < best.UncertaintyMs)
                {
                    best = reading;
                }
            }

            return best!;
        }

        public override string ToString() => FormattableString.Invariant(
            $"{OffsetMs:0.0} ms ± {UncertaintyMs:0.0} ms (Date.now(): {DateNowOffsetMs:0.0} ms)");
    }

    /// <summary>A plain HttpClient GET read fully: the peers of the navigation figures.</summary>
    private static class Fetch
    {
        public static async Task<(TimeSpan Time, long Bytes)> TimeAsync(Uri baseAddress, string pathAndQuery, CancellationToken cancellationToken)
        {
            // A fresh client (and connection) per fetch, like the fresh browser context per navigation.
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
            var started = Stopwatch.GetTimestamp();
            var body = await http.GetByteArrayAsync(pathAndQuery, cancellationToken);
            return (Stopwatch.GetElapsedTime(started), body.Length);
        }
    }
}
