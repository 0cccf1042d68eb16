namespace Dashboard.Model.Tests.PyTorchJobs;

/// <summary>Reads the JSON files embedded from TestData/ (copies of shared/reference files).</summary>
internal static class TestData
{
    public static string Read(string fileName)
    {
        using var stream = typeof(TestData).Assembly.GetManifestResourceStream("TestData." + fileName)
            ?? throw new InvalidOperationException($"TestData/{fileName} is not embedded in the test assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
