using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Emulator.Scenario;

/// <summary>What the scenario driver needs of the emulator's store. Writes go through the same
/// path as API writes, so they bump the resourceVersion and reach every watch.</summary>
public interface IScenarioStore
{
    void EnsureNamespace(string name);

    /// <summary>Current jobs of a namespace, as independent copies.</summary>
    IReadOnlyList<PyTorchJob> ListJobs(string @namespace);

    /// <summary>Creates the job (uid, resourceVersion, creationTimestamp and generation are filled in unless set); returns the stored copy.</summary>
    PyTorchJob Create(PyTorchJob job);

    /// <summary>Replaces spec, labels, annotations and status of an existing job regardless of its resourceVersion; null if it is gone.</summary>
    PyTorchJob? Replace(PyTorchJob job);

    bool Delete(string @namespace, string name);
}
