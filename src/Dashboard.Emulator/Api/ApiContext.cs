using Dashboard.Emulator.Control;
using Dashboard.Emulator.Faults;
using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Api;

/// <summary>What the request handlers share.</summary>
internal sealed record ApiContext(EmulatorOptions Options, EmulatorStore Store, EmulatorStats Stats, FaultInjector Faults, CancellationToken Stopping)
{
    public TimeProvider Time => Options.Time;
}
