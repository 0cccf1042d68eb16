using Dashboard.Emulator.Errors;
using Dashboard.Emulator.Scenario;
using Dashboard.Model.PyTorchJobs;
using k8s.Models;

namespace Dashboard.Emulator.Store;

/// <summary>The scenario driver's view of the store: same write path as the API, so every change bumps the
/// resourceVersion and reaches the watches; no validation (the driver writes well-formed jobs).</summary>
public sealed partial class EmulatorStore : IScenarioStore
{
    public void EnsureNamespace(string name)
    {
        if (Get(ResourceKind.Namespaces, null, name) is not null)
        {
            return;
        }

        try
        {
            Create(ResourceKind.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = V1Namespace.KubeKind, Metadata = new V1ObjectMeta { Name = name } });
        }
        catch (StatusException e) when (e.Code == 409)
        {
            // Created concurrently: that is what we wanted.
        }
    }

    public IReadOnlyList<PyTorchJob> ListJobs(string @namespace)
    {
        var prefix = ResourceKind.PyTorchJobs.KeyPrefix(@namespace);
        return Snapshot(ResourceKind.PyTorchJobs).Items
            .Where(j => j.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(j => (PyTorchJob)ObjectCodec.FromStored(ResourceKind.PyTorchJobs, j))
            .ToList();
    }

    public PyTorchJob Create(PyTorchJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var copy = (PyTorchJob)ObjectCodec.Deserialize(ResourceKind.PyTorchJobs, Serialization.KubeJson.SerializeToUtf8Bytes(job));
        return (PyTorchJob)ObjectCodec.FromStored(ResourceKind.PyTorchJobs, Create(ResourceKind.PyTorchJobs, copy));
    }

    public PyTorchJob? Replace(PyTorchJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            var stored = Update(ResourceKind.PyTorchJobs, job.Metadata.NamespaceProperty, job.Metadata.Name, current =>
            {
                var target = (PyTorchJob)current;
                target.Metadata.ResourceVersion = null;
                target.Metadata.Labels = job.Metadata.Labels is null ? null : new Dictionary<string, string>(job.Metadata.Labels);
                target.Metadata.Annotations = job.Metadata.Annotations is null ? null : new Dictionary<string, string>(job.Metadata.Annotations);
                var copy = (PyTorchJob)ObjectCodec.Deserialize(ResourceKind.PyTorchJobs, Serialization.KubeJson.SerializeToUtf8Bytes(job));
                target.Spec = copy.Spec;
                target.Status = copy.Status;
                return target;
            });
            return (PyTorchJob)ObjectCodec.FromStored(ResourceKind.PyTorchJobs, stored);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return null;
        }
    }

    public bool Delete(string @namespace, string name)
    {
        try
        {
            Delete(ResourceKind.PyTorchJobs, @namespace, name);
            return true;
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return false;
        }
    }
}
