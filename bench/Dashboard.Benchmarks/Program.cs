using Dashboard.Benchmarks.Infrastructure;
using Dashboard.Benchmarks.Suites;

if (args.Length > 0 && args[0] == MemoryProbe.Command)
{
    return await MemoryProbe.RunChildAsync(args);
}

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// Progress goes to stderr; stdout carries only the markdown (the machine line and the tables).
Console.WriteLine(await Machine.DescribeAsync());
Console.WriteLine();
string[] suites = settings.Suite == "all" ? ["emulator", "sync", "hub", "browser"] : [settings.Suite];
foreach (var suite in suites)
{
    Console.Error.WriteLine($"== {suite}{(settings.Quick ? " (quick)" : "")}");
    var markdown = suite switch
    {
        "emulator" => await EmulatorSuite.RunAsync(settings, cancel.Token),
        "sync" => await SyncSuite.RunAsync(settings, cancel.Token),
        "parse" => await ParseSuite.RunAsync(settings, cancel.Token),
        "sync-loop" => await SyncLoopSuite.RunAsync(settings, cancel.Token),
        "browser" => await BrowserSuite.RunAsync(settings, cancel.Token),
        _ => await HubSuite.RunAsync(settings, cancel.Token),
    };
    Console.WriteLine(markdown);
}

return 0;
