namespace Dashboard.Emulator.Tests.Scenario;

internal static class ScenarioWait
{
    /// <summary>Waits for a condition that another thread makes true; fails the test with <paramref name="what"/> (and the
    /// <paramref name="state"/> seen last) on timeout.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, Func<string>? state = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for " + what + (state is null ? "" : "; now " + state()));
            }

            await Task.Delay(2);
        }
    }
}
