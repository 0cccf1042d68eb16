using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Tests.Configuration;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var result = new ValidateKubernetesOptions().Validate(null, new KubernetesOptions
        {
            PageSize = 0,
            WatchTimeoutSeconds = 0,
            InitialBackoff = TimeSpan.Zero,
            Namespaces = ["ok", " "],
        });

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("PageSize", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("WatchTimeoutSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cache_limit_leaves_room_for_the_namespaces_kept_warm()
    {
        var result = new ValidateKubernetesOptions().Validate(null, new KubernetesOptions { MaxCaches = 1, Namespaces = ["a", "b"] });

        Assert.True(result.Failed);
        Assert.Equal(
            "Kubernetes:MaxCaches must be at least 1 and at least the number of Kubernetes:Namespaces (2), whose caches are kept running (was 1).",
            Assert.Single(result.Failures!));
        Assert.False(new ValidateKubernetesOptions().Validate(null, new KubernetesOptions { MaxCaches = 2, Namespaces = ["a", "b"] }).Failed);
    }

    [Fact]
    public void The_sections_bind_and_bad_values_fail_on_first_use()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kubernetes:Mode"] = "Emulator",
            ["Kubernetes:PageSize"] = "50",
            ["Kubernetes:Namespaces:0"] = "team-a",
            ["Kubernetes:CacheGracePeriod"] = "00:00:05",
            ["Emulator:Jobs"] = "-1",
            ["Emulator:Seed"] = "7",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddJobQueries(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<KubernetesOptions>>().Value;
        Assert.Equal(ConnectionMode.Emulator, options.Mode);
        Assert.Equal(50, options.PageSize);
        Assert.Equal(["team-a"], options.Namespaces);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CacheGracePeriod);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmulatorSettings>>().Value);
        Assert.Contains("Emulator:Jobs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_query_service_is_one_singleton_over_the_system_clock()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Kubernetes:Mode"] = "Emulator" }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddJobQueries(configuration).BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IJobQueryService>(), provider.GetRequiredService<JobQueryService>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.True(provider.GetRequiredService<IJobQueryService>().Connection.IsEmulator);
    }
}
