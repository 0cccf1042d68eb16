using Dashboard.Emulator.Scenario;
using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Emulator.Tests.Scenario;

/// <summary>A hand-written <see cref="IScenarioStore"/>: jobs kept as JSON (so every read is an independent copy), a
/// resourceVersion counter and a log of every write, for comparing stories and checking each written object.</summary>
internal sealed class InMemoryScenarioStore(TimeProvider time) : IScenarioStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string Namespace, string Name), string> _jobs = new();
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly List<StoreWrite> _writes = [];
    private long _resourceVersion = 100;

    public int WriteCount
    {
        get { lock (_gate) return _writes.Count; }
    }

    public IReadOnlyList<StoreWrite> Writes
    {
        get { lock (_gate) return [.. _writes]; }
    }

    public IReadOnlyCollection<string> Namespaces
    {
        get { lock (_gate) return [.. _namespaces]; }
    }

    public void EnsureNamespace(string name)
    {
        lock (_gate) _namespaces.Add(name);
    }

    public IReadOnlyList<PyTorchJob> ListJobs(string @namespace)
    {
        lock (_gate)
        {
            return _jobs.Where(p => p.Key.Namespace == @namespace).Select(p => Parse(p.Value)).ToList();
        }
    }

    public IReadOnlyList<PyTorchJob> AllJobs()
    {
        lock (_gate) return _jobs.Values.Select(Parse).ToList();
    }

    public PyTorchJob Create(PyTorchJob job)
    {
        lock (_gate)
        {
            var copy = Parse(KubernetesJson.Serialize(job));
            var key = (copy.Metadata.NamespaceProperty, copy.Metadata.Name);
            if (!_namespaces.Contains(key.NamespaceProperty))
            {
                throw new InvalidOperationException($"namespace {key.NamespaceProperty} not found");
            }

            if (_jobs.ContainsKey(key))
            {
                throw new InvalidOperationException($"{key} already exists");
            }

            copy.Metadata.Uid ??= Guid.NewGuid().ToString();
            copy.Metadata.CreationTimestamp ??= time.GetUtcNow().UtcDateTime;
            copy.Metadata.Generation ??= 1;
            copy.Metadata.ResourceVersion ??= (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Store("ADDED", key, copy);
        }
    }

    public PyTorchJob? Replace(PyTorchJob job)
    {
        lock (_gate)
        {
            var key = (job.Metadata.NamespaceProperty, job.Metadata.Name);
            if (!_jobs.TryGetValue(key, out var existingJson))
            {
                return null;
            }

            var existing = Parse(existingJson);
            var incoming = Parse(KubernetesJson.Serialize(job));
            existing.Spec = incoming.Spec;
            existing.Status = incoming.Status;
            existing.Metadata.Labels = incoming.Metadata.Labels;
            existing.Metadata.Annotations = incoming.Metadata.Annotations;
            existing.Metadata.ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Store("MODIFIED", key, existing);
        }
    }

    public bool Delete(string @namespace, string name)
    {
        lock (_gate)
        {
            if (!_jobs.Remove((@namespace, name), out var json))
            {
                return false;
            }

            _writes.Add(new StoreWrite("DELETED", @namespace, name, json));
            return true;
        }
    }

    private PyTorchJob Store(string kind, (string Namespace, string Name) key, PyTorchJob job)
    {
        var json = KubernetesJson.Serialize(job);
        _jobs[key] = json;
        _writes.Add(new StoreWrite(kind, key.Namespace, key.Name, json));
        return Parse(json);
    }

    private static PyTorchJob Parse(string json) =>
        KubernetesJson.Deserialize<PyTorchJob>(json) ?? throw new InvalidOperationException("empty job");
}

internal sealed record StoreWrite(string Kind, string Namespace, string Name, string Json);
