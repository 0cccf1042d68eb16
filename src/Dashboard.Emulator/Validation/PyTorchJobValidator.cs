using System.Globalization;
using Dashboard.Emulator.Errors;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Emulator.Validation;

/// <summary>
/// What the API server (CRD schema) and the training-operator's webhook reject in a PyTorchJob, with their wording.
/// </summary>
internal static class PyTorchJobValidator
{
    private static readonly string[] ReplicaTypeNames = [ReplicaTypes.Master, ReplicaTypes.Worker];
    private static readonly string[] RestartPolicyNames = [RestartPolicies.Always, RestartPolicies.OnFailure, RestartPolicies.Never, RestartPolicies.ExitCode];

    public static IReadOnlyList<FieldError> Validate(PyTorchJob job)
    {
        var errors = new List<FieldError>(NameRules.CheckSubdomain("metadata.name", job.Metadata?.Name));
        errors.AddRange(MetadataRules.Check(job.Metadata)); // ObjectMeta comes before the schema, as in the API server
        var specs = job.Spec?.PytorchReplicaSpecs;
        if (specs is null || specs.Count == 0)
        {
            errors.Add(FieldError.Required("spec.pytorchReplicaSpecs", "must be required"));
            return errors;
        }

        foreach (var (type, spec) in specs)
        {
            var field = $"spec.pytorchReplicaSpecs[{type}]";
            if (!ReplicaTypeNames.Contains(type, StringComparer.Ordinal))
            {
                errors.Add(FieldError.Unsupported("spec.pytorchReplicaSpecs", type, ReplicaTypeNames));
                continue;
            }

            if (spec is null)
            {
                errors.Add(FieldError.Required(field, "must be specified"));
                continue;
            }

            if (spec.Replicas is < 0 and var replicas)
            {
                errors.Add(FieldError.InvalidValue($"{field}.replicas", replicas.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
            }
            else if (type == ReplicaTypes.Master && spec.Replicas is > 1)
            {
                errors.Add(FieldError.Forbidden($"{field}.replicas", "must be 1"));
            }

            if (spec.RestartPolicy is { } policy && !RestartPolicyNames.Contains(policy, StringComparer.Ordinal))
            {
                errors.Add(FieldError.Unsupported($"{field}.restartPolicy", policy, RestartPolicyNames));
            }

            var containers = spec.Template?.Spec?.Containers;
            if (containers is null || containers.Count == 0)
            {
                errors.Add(FieldError.Required($"{field}.template.spec.containers", "must be specified"));
                continue;
            }

            for (var i = 0; i < containers.Count; i++)
            {
                if (string.IsNullOrEmpty(containers[i].Image))
                {
                    errors.Add(FieldError.Required($"{field}.template.spec.containers[{i}].image", "must be required"));
                }
            }
        }

        return errors;
    }
}
