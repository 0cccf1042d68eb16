namespace Dashboard.Emulator;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await Task.CompletedTask;
        Console.WriteLine(string.Join(' ', args));
        return 0;
    }
}
