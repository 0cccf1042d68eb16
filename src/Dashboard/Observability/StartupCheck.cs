using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Microsoft.Extensions.Options;

namespace Dashboard.Observability;

/// <summary>
/// Builds the configuration and the Kubernetes connection before the host starts, so a bad setting (a
/// kubeconfig that is missing, unreadable or names an unknown context, an invalid option) ends start-up
/// with one line on stderr and a non-zero exit code instead of a stack trace.
/// </summary>
public static class StartupCheck
{
    public const int ConfigurationErrorExitCode = 2;

    /// <returns>The problem in one line, or null when the app can start.</returns>
    public static string? FindProblem(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            _ = services.GetRequiredService<IOptions<EmulatorSettings>>().Value;
            _ = services.GetRequiredService<KubernetesConnection>();
            return null;
        }
        catch (Exception exception) when (Describe(exception) is { } problem)
        {
            return problem;
        }
    }

    /// <summary>The one line for a configuration failure; null for anything else (a bug keeps its stack trace).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        KubernetesConnectionException connection => connection.Message,
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        _ => null,
    };

    /// <summary>Writes the problem as the single stderr line and returns the exit code.</summary>
    public static int Fail(string problem, TextWriter stderr)
    {
        stderr.WriteLine("Dashboard cannot start: " + problem.ReplaceLineEndings(" "));
        stderr.Flush();
        return ConfigurationErrorExitCode;
    }
}
