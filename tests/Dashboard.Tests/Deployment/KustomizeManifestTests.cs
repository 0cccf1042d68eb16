using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Deployment;

/// <summary>Renders deploy/ with kubectl's own kustomize and checks what a cluster admin relies on.</summary>
public sealed class KustomizeManifestTests
{
    private static readonly Lazy<IReadOnlyList<object>> Rendered = new(Render);

    [Fact]
    public void ClusterRole_grants_exactly_read_access_to_pytorchjobs_and_namespace_listing_and_creating_reviews()
    {
        var role = Single<V1ClusterRole>();

        var rules = role.Rules.Select(r => (
                Groups: string.Join(",", r.ApiGroups),
                Resources: string.Join(",", r.Resources),
                Verbs: string.Join(",", r.Verbs.Order())))
            .OrderBy(r => r.Groups)
            .ToList();

        Assert.Equal(
            [
                ("", "namespaces", "list"),
                ("authentication.k8s.io", "tokenreviews", "create"),
                ("authorization.k8s.io", "subjectaccessreviews", "create"),
                ("kubeflow.org", "pytorchjobs", "get,list,watch"),
            ],
            rules);
    }

    [Fact]
    public void ClusterRoleBinding_binds_the_role_to_the_deployment_service_account()
    {
        var binding = Single<V1ClusterRoleBinding>();
        var deployment = Single<V1Deployment>();
        var account = Single<V1ServiceAccount>();

        Assert.Equal(Single<V1ClusterRole>().Metadata.Name, binding.RoleRef.Name);
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.Equal(account.Metadata.Name, deployment.Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void Deployment_runs_two_hardened_replicas_with_probes_and_resources()
    {
        var deployment = Single<V1Deployment>();
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Contains("ALL", container.SecurityContext.Capabilities.Drop);
        Assert.Contains("cpu", container.Resources.Requests.Keys);
        Assert.Contains("memory", container.Resources.Limits.Keys);
        Assert.Contains(container.Env, e => e.Name == "Kubernetes__Mode" && e.Value == "InCluster");
    }

    [Fact]
    public void Service_targets_the_deployment_pods()
    {
        var service = Single<V1Service>();
        var podLabels = Single<V1Deployment>().Spec.Template.Metadata.Labels;

        Assert.All(service.Spec.Selector, pair => Assert.Equal(pair.Value, podLabels[pair.Key]));
        Assert.Equal("http", Assert.Single(service.Spec.Ports).TargetPort.Value);
    }

    private static T Single<T>() => Assert.Single(Rendered.Value.OfType<T>());

    private static IReadOnlyList<object> Render()
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(RepoPaths.Root, "deploy")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kubectl kustomize did not finish in 60 s");
        }

        Assert.True(process.ExitCode == 0, "kubectl kustomize failed: " + stderr.Result);
        return KubernetesYaml.LoadAllFromString(stdout.Result);
    }
}
