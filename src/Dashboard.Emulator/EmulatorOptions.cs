using System.Text.Json.Serialization;

namespace Dashboard.Emulator;

/// <summary>How the emulator starts. The defaults are the CLI's defaults.</summary>
public sealed record EmulatorOptions
{
    /// <summary>0 = any free loopback port.</summary>
    public int Port { get; init; }

    public IReadOnlyList<string> Namespaces { get; init; } = ["team-a", "team-b", "research"];

    /// <summary>Scenario jobs created at start, spread over <see cref="Namespaces"/>.</summary>
    public int Jobs { get; init; } = 60;

    public int Seed { get; init; } = 42;

    /// <summary>Scenario changes per second; 0 = no scenario activity.</summary>
    public double EventsPerSecond { get; init; } = 2;

    /// <summary>`pytorch-test` in `kube-test`, as in the reference example response.</summary>
    public bool IncludeExampleJob { get; init; } = true;

    /// <summary>When set, requests need "Authorization: Bearer &lt;token&gt;" (else 401).</summary>
    public string? Token { get; init; }

    /// <summary>Every pytorchjobs path answers 404, as when the CRD is not installed.</summary>
    public bool WithoutCrd { get; init; }

    public FaultSettings Faults { get; init; } = new();

    public double? CompactEverySeconds { get; init; }

    /// <summary>Events kept per resource before the history compacts by itself.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>How often a watch that asked for bookmarks gets one (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>TokenReview and SubjectAccessReview answers (tokens → users and groups → namespaces); null allows every access review.</summary>
    public Auth.AccessPolicy? Policy { get; init; }
}

/// <summary>
/// Injected faults. JSON: failRate, cutWatchAfter, latencyMs, abortWatchAfter, failStatus, retryAfterSeconds.
/// cutWatchAfter ends a watch cleanly after that many events; abortWatchAfter resets its connection instead (the
/// client sees an I/O error mid-stream). The requests failRate picks answer failStatus (500, 429, 503 or 504) as the
/// API server words it; retryAfterSeconds goes in details.retryAfterSeconds and the Retry-After header (a 429
/// without it says 1, as API Priority and Fairness does).
/// </summary>
public sealed record FaultSettings(
    [property: JsonPropertyName("failRate")] double FailRate = 0,
    [property: JsonPropertyName("cutWatchAfter")] int? CutWatchAfter = null,
    [property: JsonPropertyName("latencyMs")] int LatencyMs = 0,
    [property: JsonPropertyName("abortWatchAfter")] int? AbortWatchAfter = null,
    [property: JsonPropertyName("failStatus")] int FailStatus = 500,
    [property: JsonPropertyName("retryAfterSeconds")] int? RetryAfterSeconds = null);
