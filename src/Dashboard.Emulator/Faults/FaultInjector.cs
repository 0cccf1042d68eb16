using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Faults;

/// <summary>The faults in force now; changed at runtime through PUT /emulator/faults.</summary>
public sealed class FaultInjector
{
    /// <summary>The statuses failStatus may name: the failures a client should retry.</summary>
    public static readonly IReadOnlyList<int> SupportedStatuses = [500, 429, 503, 504];

    private FaultSettings _settings;

    public FaultInjector(FaultSettings initial)
    {
        Validate(initial);
        _settings = initial;
    }

    /// <summary>Setting unsupported values throws a 400 Status (PUT /emulator/faults answers it).</summary>
    public FaultSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set
        {
            var settings = value ?? new FaultSettings();
            Validate(settings);
            Volatile.Write(ref _settings, settings);
        }
    }

    /// <summary>Whether this request should fail (a fraction failRate of them, at random).</summary>
    public bool ShouldFail()
    {
        var rate = Settings.FailRate;
        return rate > 0 && Random.Shared.NextDouble() < rate;
    }

    /// <summary>The failure a request picked by <see cref="ShouldFail"/> answers, per the settings in force.</summary>
    public StatusException Failure() => Failure(Settings);

    public static StatusException Failure(FaultSettings settings) => settings.FailStatus switch
    {
        // API Priority and Fairness always sends a Retry-After; 1 s is what it says by default.
        429 => ApiErrors.TooManyRequests(settings.RetryAfterSeconds ?? 1),
        503 => ApiErrors.ServiceUnavailable("injected fault", settings.RetryAfterSeconds),
        504 => ApiErrors.Timeout("injected fault", settings.RetryAfterSeconds),
        _ => ApiErrors.InternalError("injected fault", settings.RetryAfterSeconds),
    };

    private static void Validate(FaultSettings settings)
    {
        if (!SupportedStatuses.Contains(settings.FailStatus))
        {
            throw ApiErrors.BadRequest(
                $"invalid fault settings: failStatus {settings.FailStatus} is not supported (supported: {string.Join(", ", SupportedStatuses)})");
        }

        if (settings.RetryAfterSeconds is < 0)
        {
            throw ApiErrors.BadRequest("invalid fault settings: retryAfterSeconds must not be negative");
        }
    }
}
