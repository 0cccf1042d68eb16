namespace Dashboard.Emulator.Tests.Infrastructure;

/// <summary>Waits for a condition with a timeout instead of sleeping a guessed time.</summary>
internal static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time{(because is null ? "" : ": " + because)}");
            }

            await Task.Delay(20);
        }
    }
}
