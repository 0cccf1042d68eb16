namespace Dashboard.Emulator.Scenario;

/// <summary>What the scenario driver simulates: <paramref name="Jobs"/> jobs spread over <paramref name="Namespaces"/>,
/// changed about <paramref name="EventsPerSecond"/> times a second (0 = never), reproducibly for one <paramref name="Seed"/>.</summary>
public sealed record ScenarioSettings(
    IReadOnlyList<string> Namespaces,
    int Jobs,
    int Seed,
    double EventsPerSecond,
    bool IncludeExampleJob);
