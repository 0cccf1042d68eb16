using Dashboard.Emulator.Hosting;

namespace Dashboard.Emulator.Tests.Core;

public sealed class CommandLineTests
{
    [Fact]
    public void EveryFlag_SetsItsOption()
    {
        var options = CommandLine.Parse([
            "--port", "8001", "--namespaces", "a, b", "--jobs", "7", "--seed", "3", "--events-per-second", "0.5", "--token", "t",
            "--without-crd", "--fail-rate", "0.05", "--cut-watch-after", "40", "--latency-ms=20", "--compact-every", "5",
            "--fail-status", "429", "--retry-after-seconds", "3"]);

        Assert.Equal(8001, options.Port);
        Assert.Equal(["a", "b"], options.Namespaces);
        Assert.Equal(7, options.Jobs);
        Assert.Equal(3, options.Seed);
        Assert.Equal(0.5, options.EventsPerSecond);
        Assert.Equal("t", options.Token);
        Assert.True(options.WithoutCrd);
        Assert.Equal(new FaultSettings(0.05, 40, 20, FailStatus: 429, RetryAfterSeconds: 3), options.Faults);
        Assert.Equal(5, options.CompactEverySeconds);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = CommandLine.Parse([]);
        Assert.Equal(new EmulatorOptions().Namespaces, options.Namespaces);
        Assert.Equal(60, options.Jobs);
        Assert.Equal(0, options.Port);
        Assert.Equal(new FaultSettings(), options.Faults);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "x")]
    [InlineData("--jobs")]
    public void BadFlags_AreRejected(params string[] args) => Assert.Throws<FormatException>(() => CommandLine.Parse(args));
}
