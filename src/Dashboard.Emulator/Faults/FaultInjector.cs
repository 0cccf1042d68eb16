namespace Dashboard.Emulator.Faults;

/// <summary>The faults in force now; changed at runtime through PUT /emulator/faults.</summary>
public sealed class FaultInjector(FaultSettings initial)
{
    private FaultSettings _settings = initial;

    public FaultSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, value ?? new FaultSettings());
    }

    /// <summary>Whether this request should fail with a 500 (a fraction failRate of them, at random).</summary>
    public bool ShouldFail()
    {
        var rate = Settings.FailRate;
        return rate > 0 && Random.Shared.NextDouble() < rate;
    }
}
