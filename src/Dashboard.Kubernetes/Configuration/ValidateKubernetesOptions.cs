using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Configuration;

/// <summary>Reports every configuration error at once, so one start shows them all.</summary>
public sealed class ValidateKubernetesOptions : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"Kubernetes:Mode '{options.Mode}' is not one of Auto, Emulator, KubeConfig, InCluster.");
        }

        if (options.PageSize is < 1 or > 10_000)
        {
            errors.Add($"Kubernetes:PageSize must be between 1 and 10000 (was {options.PageSize}).");
        }

        if (options.WatchTimeoutSeconds < 1)
        {
            errors.Add($"Kubernetes:WatchTimeoutSeconds must be at least 1 (was {options.WatchTimeoutSeconds}).");
        }

        if (options.WatchIdleMarginSeconds < 0)
        {
            errors.Add($"Kubernetes:WatchIdleMarginSeconds must not be negative (was {options.WatchIdleMarginSeconds}).");
        }

        if (options.RequestTimeoutSeconds < 1)
        {
            errors.Add($"Kubernetes:RequestTimeoutSeconds must be at least 1 (was {options.RequestTimeoutSeconds}).");
        }

        if (options.InitialBackoff <= TimeSpan.Zero)
        {
            errors.Add("Kubernetes:InitialBackoff must be positive.");
        }

        if (options.MaxBackoff < options.InitialBackoff)
        {
            errors.Add("Kubernetes:MaxBackoff must not be shorter than Kubernetes:InitialBackoff.");
        }

        if (options.ErrorRetryInterval <= TimeSpan.Zero)
        {
            errors.Add("Kubernetes:ErrorRetryInterval must be positive.");
        }

        if (options.CacheGracePeriod < TimeSpan.Zero)
        {
            errors.Add("Kubernetes:CacheGracePeriod must not be negative.");
        }

        if (options.StaleAfter < TimeSpan.Zero)
        {
            errors.Add("Kubernetes:StaleAfter must not be negative.");
        }

        if (options.BatchInterval < TimeSpan.Zero || options.BatchInterval > TimeSpan.FromSeconds(10))
        {
            errors.Add("Kubernetes:BatchInterval must be between 0 and 10 seconds.");
        }

        if (options.MaxCaches < Math.Max(1, options.Namespaces.Count))
        {
            errors.Add($"Kubernetes:MaxCaches must be at least 1 and at least the number of Kubernetes:Namespaces ({options.Namespaces.Count}), whose caches are kept running (was {options.MaxCaches}).");
        }

        if (options.HistoryLimit < 1)
        {
            errors.Add($"Kubernetes:HistoryLimit must be at least 1 (was {options.HistoryLimit}).");
        }

        if (options.Mode == Query.ConnectionMode.KubeConfig && !string.IsNullOrWhiteSpace(options.KubeConfigPath) && !File.Exists(options.KubeConfigPath))
        {
            errors.Add($"Kubernetes:KubeConfigPath '{options.KubeConfigPath}' does not exist.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceAccountPath))
        {
            errors.Add("Kubernetes:ServiceAccountPath must not be empty (default /var/run/secrets/kubernetes.io/serviceaccount).");
        }

        foreach (var ns in options.Namespaces)
        {
            if (string.IsNullOrWhiteSpace(ns))
            {
                errors.Add("Kubernetes:Namespaces must not contain empty names.");
                break;
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
