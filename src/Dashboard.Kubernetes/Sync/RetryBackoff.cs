namespace Dashboard.Kubernetes.Sync;

/// <summary>Capped exponential backoff with jitter: initial × 2^(attempt−1), at most max, then ±20%.</summary>
public sealed class RetryBackoff(TimeSpan initial, TimeSpan max, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var raw = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 0.8 + (0.4 * _random());
        return TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, raw * jitter));
    }
}
