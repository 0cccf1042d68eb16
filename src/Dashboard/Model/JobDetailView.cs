using Dashboard.Kubernetes.Query;

namespace Dashboard.Model;

/// <summary>Everything the detail page derives from one <see cref="JobDetail"/>, computed once per new state.</summary>
public sealed record JobDetailView(
    JobDetail Detail,
    IReadOnlyList<ReplicaView> Replicas,
    IReadOnlyList<ConditionStep> Steps,
    string Yaml)
{
    public static JobDetailView From(JobDetail detail) => new(
        detail,
        ReplicaView.FromJob(detail.Job),
        ConditionTimeline.Build(detail.Job.Status, detail.History),
        ToYaml(detail));

    // A job the YAML writer chokes on must not take the rest of the page down with it.
    private static string ToYaml(JobDetail detail)
    {
        try
        {
            return k8s.KubernetesYaml.Serialize(detail.Job);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "# The object could not be written as YAML: " + ex.Message;
        }
    }
}
