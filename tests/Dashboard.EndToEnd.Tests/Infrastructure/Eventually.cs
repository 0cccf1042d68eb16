namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>Waits for a condition outside the browser (Playwright's own assertions wait for the page).</summary>
public static class Eventually
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Retries <paramref name="attempt"/> until it succeeds; after <paramref name="timeout"/> its last failure is the error.</summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0.#} s waiting for {what}.", ex);
                }
            }

            await Task.Delay(s_poll);
        }
    }
}
