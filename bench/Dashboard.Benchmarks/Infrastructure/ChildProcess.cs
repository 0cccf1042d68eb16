using System.Collections.Concurrent;
using System.Diagnostics;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>A process this benchmark started: output drained (and the last lines kept for errors), killed by its id on dispose.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lastLines = new();
    private readonly Func<string, bool>? _lineWatcher;
    private volatile bool _watching = true;

    private ChildProcess(Process process, Func<string, bool>? lineWatcher)
    {
        _process = process;
        _lineWatcher = lineWatcher;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string RecentOutput => string.Join(Environment.NewLine, _lastLines);

    /// <summary>Starts <paramref name="file"/>; every output line goes to <paramref name="lineWatcher"/> until it returns false.</summary>
    public static ChildProcess Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, Func<string, bool>? lineWatcher = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A null value removes the variable from what the child inherits.
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, lineWatcher);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lastLines.Enqueue(line);
        while (_lastLines.Count > KeptLines && _lastLines.TryDequeue(out _))
        {
        }

        if (_watching && _lineWatcher is not null)
        {
            _watching = _lineWatcher(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or did not die in time: nothing more to do here.
        }

        _process.Dispose();
    }
}
