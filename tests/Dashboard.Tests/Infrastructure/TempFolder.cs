namespace Dashboard.Tests.Infrastructure;

/// <summary>A folder of the test's own under the temp folder, deleted (with what the test wrote in it) at the end.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "dashboard-tests-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> in this folder (not created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in this folder and returns its path.</summary>
    public string Write(string name, string content)
    {
        var file = File(name);
        System.IO.File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Writes <see cref="KubeConfig.For"/> for <paramref name="server"/> and returns its path.</summary>
    public string WriteKubeConfig(Uri server, string name = "kubeconfig") => Write(name, KubeConfig.For(server));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
