using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Dashboard.Observability;

/// <summary>Counts the open Blazor circuits (one per connected browser tab) on the "Dashboard" meter.</summary>
public sealed class CircuitMetrics
{
    public const string MeterName = "Dashboard";

    private long _count;

    public CircuitMetrics(IMeterFactory meterFactory)
    {
        // Observed rather than counted: the series exists (as 0) before the first circuit opens.
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("dashboard.circuits.open", () => Open, "{circuit}", "Blazor Server circuits open now (connected or waiting to reconnect).");
    }

    /// <summary>Open circuits in this process.</summary>
    public long Open => Interlocked.Read(ref _count);

    internal void Opened()
    {
        Interlocked.Increment(ref _count);
    }

    internal void Closed()
    {
        Interlocked.Decrement(ref _count);
    }
}

/// <summary>One per circuit (scoped): reports the circuit's opening and closing to <see cref="CircuitMetrics"/>.</summary>
public sealed partial class CircuitCountingHandler(CircuitMetrics metrics, ILogger<CircuitCountingHandler> logger) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.Opened();
        CircuitOpened(logger, circuit.Id, metrics.Open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.Closed();
        CircuitClosed(logger, circuit.Id, metrics.Open);
        return Task.CompletedTask;
    }

    [LoggerMessage(2000, LogLevel.Debug, "Circuit {CircuitId} opened ({Open} open)")]
    private static partial void CircuitOpened(ILogger logger, string circuitId, long open);

    [LoggerMessage(2001, LogLevel.Debug, "Circuit {CircuitId} closed ({Open} open)")]
    private static partial void CircuitClosed(ILogger logger, string circuitId, long open);
}
