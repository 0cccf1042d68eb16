using System.Globalization;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>The command line: a suite and the sizes it runs with (full figures by default, smaller with --quick).</summary>
internal sealed record BenchSettings
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Dashboard.Benchmarks -- <emulator|sync|hub|browser|all|sync-loop|parse> [options]
          (sync-loop: the full sync alone with JIT/GC counters per run; parse: reading the pages' jobs on one
          thread beside floors; both for profiling, not part of "all")
          --quick                 small numbers for a smoke run (2,000 jobs, 2 runs, 20 subscribers/clients, 3 s of writes)
          --runs N                timed runs per figure, after one warm-up run (default 5)
          --jobs N                jobs in the benchmark namespace (default 10000)
          --subscribers N         sync suite: in-process subscribers for the delivery test (default 100)
          --rate N                sync suite: emulator writes per second (default 500)
          --clients N             hub suite: SignalR clients (default 200)
          --hub-rate N            hub suite: emulator writes per second (default 200)
          --browser-rate N        browser suite: emulator writes per second to the rows on screen (default 50)
          --seconds N             length of each write phase in seconds (default 20)
          --app-build-dir PATH    where the hub suite builds and the browser suite publishes src/Dashboard
                                  (default: <temp>/dashboard-bench/app)
        """;

    public required string Suite { get; init; }

    public bool Quick { get; init; }

    public int Runs { get; init; } = 5;

    public int Jobs { get; init; } = 10_000;

    public int PageSize { get; init; } = 500;

    public int Subscribers { get; init; } = 100;

    public double SyncEventsPerSecond { get; init; } = 500;

    public int Clients { get; init; } = 200;

    public double HubEventsPerSecond { get; init; } = 200;

    public double BrowserEventsPerSecond { get; init; } = 50;

    public TimeSpan WritePhase { get; init; } = TimeSpan.FromSeconds(20);

    public string AppBuildDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "dashboard-bench", "app");

    /// <summary>Concurrent requests while loading jobs and writing events.</summary>
    public int HttpParallelism { get; init; } = 8;

    public string Namespace { get; init; } = "bench";

    public static BenchSettings Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("emulator" or "sync" or "sync-loop" or "parse" or "hub" or "browser" or "all"))
        {
            throw new ArgumentException("Missing or unknown suite.");
        }

        var quick = args.Contains("--quick");
        var settings = new BenchSettings { Suite = args[0], Quick = quick };
        if (quick)
        {
            settings = settings with
            {
                Runs = 2,
                Jobs = 2_000,
                Subscribers = 20,
                Clients = 20,
                WritePhase = TimeSpan.FromSeconds(3),
            };
        }

        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option {name} needs a value.");
            }

            var value = args[++i];
            settings = name switch
            {
                "--runs" => settings with { Runs = Positive(name, value) },
                "--jobs" => settings with { Jobs = Positive(name, value) },
                "--subscribers" => settings with { Subscribers = Positive(name, value) },
                "--rate" => settings with { SyncEventsPerSecond = Positive(name, value) },
                "--clients" => settings with { Clients = Positive(name, value) },
                "--hub-rate" => settings with { HubEventsPerSecond = Positive(name, value) },
                "--browser-rate" => settings with { BrowserEventsPerSecond = Positive(name, value) },
                "--seconds" => settings with { WritePhase = TimeSpan.FromSeconds(Positive(name, value)) },
                "--app-build-dir" => settings with { AppBuildDirectory = Path.GetFullPath(value) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return settings;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"Option {name} needs a positive integer, not \"{value}\".");
}
