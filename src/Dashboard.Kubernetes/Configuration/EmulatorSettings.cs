using Dashboard.Emulator;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Configuration;

/// <summary>The "Emulator" section (fields of <see cref="EmulatorOptions"/>), checked at start with every error at once.</summary>
public sealed class EmulatorSettings
{
    public const string SectionName = "Emulator";

    public int Port { get; set; }

    public List<string>? Namespaces { get; set; }

    public int Jobs { get; set; } = 60;

    public int Seed { get; set; } = 42;

    public double EventsPerSecond { get; set; } = 2;

    public bool IncludeExampleJob { get; set; } = true;

    public string? Token { get; set; }

    public bool WithoutCrd { get; set; }

    public double? CompactEverySeconds { get; set; }

    public EmulatorOptions ToEmulatorOptions(TimeProvider time)
    {
        var defaults = new EmulatorOptions();
        return defaults with
        {
            Port = Port,
            Namespaces = Namespaces is { Count: > 0 } ? [.. Namespaces] : defaults.Namespaces,
            Jobs = Jobs,
            Seed = Seed,
            EventsPerSecond = EventsPerSecond,
            IncludeExampleJob = IncludeExampleJob,
            Token = string.IsNullOrEmpty(Token) ? null : Token,
            WithoutCrd = WithoutCrd,
            CompactEverySeconds = CompactEverySeconds,
            Time = time,
        };
    }
}

public sealed class ValidateEmulatorSettings : IValidateOptions<EmulatorSettings>
{
    public ValidateOptionsResult Validate(string? name, EmulatorSettings options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Emulator:Port must be between 0 and 65535 (was {options.Port}).");
        }

        if (options.Jobs < 0)
        {
            errors.Add($"Emulator:Jobs must not be negative (was {options.Jobs}).");
        }

        if (options.EventsPerSecond < 0 || double.IsNaN(options.EventsPerSecond))
        {
            errors.Add($"Emulator:EventsPerSecond must not be negative (was {options.EventsPerSecond}).");
        }

        if (options.CompactEverySeconds is <= 0)
        {
            errors.Add("Emulator:CompactEverySeconds must be positive when set.");
        }

        if (options.Namespaces is { } namespaces && namespaces.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Emulator:Namespaces must not contain empty names.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
