using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Api;

/// <summary>The detail API passes on the object as the API server sent it, not a re-serialization of the typed model.</summary>
public sealed class JobDetailRawJsonTests
{
    // A field from a newer training-operator than the typed model knows, and a quantity written as a number.
    private const string JobWithUnknownFields = """
        {
          "apiVersion": "kubeflow.org/v1",
          "kind": "PyTorchJob",
          "metadata": { "name": "from-the-future", "namespace": "team-a", "labels": { "app": "future" } },
          "spec": {
            "runPolicy": { "cleanPodPolicy": "None", "futurePolicy": { "window": 3, "tags": ["a", "b"] } },
            "pytorchReplicaSpecs": {
              "Master": {
                "replicas": 1,
                "restartPolicy": "Never",
                "template": { "spec": { "containers": [ {
                  "name": "pytorch", "image": "example/pytorch:1",
                  "resources": { "limits": { "cpu": 2, "memory": "4Gi" } }
                } ] } }
              }
            }
          }
        }
        """;

    [Fact]
    public async Task The_job_is_the_api_servers_object_minus_managed_fields_unknown_fields_included()
    {
        // A newer CRD than the typed model knows: the emulator prunes to our schema, so a minimal API server stands in.
        var job = JsonNode.Parse(JobWithUnknownFields)!;
        job["metadata"]!["resourceVersion"] = "7";
        job["metadata"]!["uid"] = "0b4f1c3e-1111-4222-8333-444455556666";
        job["metadata"]!["managedFields"] = JsonNode.Parse("""[{ "manager": "kubectl", "operation": "Update" }]""");
        var list = new JsonObject
        {
            ["apiVersion"] = "kubeflow.org/v1",
            ["kind"] = "PyTorchJobList",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "7" },
            ["items"] = new JsonArray(job.DeepClone()),
        }.ToJsonString();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var server = builder.Build();
        server.MapGet("/apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs", async (HttpContext http) =>
        {
            if (http.Request.Query["watch"] is ["true" or "1"])
            {
                // An open watch with nothing to say until the test ends.
                http.Response.ContentType = "application/json";
                await http.Response.Body.FlushAsync(http.RequestAborted);
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(list, http.RequestAborted);
        });
        await server.StartAsync();
        var address = new Uri(server.Urls.Single() + "/");

        using var folder = new TempFolder("detail-raw-json-");
        using var app = ApiTestApp.WithKubeConfig(address, folder);
        using var client = app.CreateClient();
        var body = await ApiWait.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/api/jobs/team-a/from-the-future");
                return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync())! : null;
            },
            b => b?["sync"]?["state"]?.GetValue<string>() == "Live",
            "the detail is served from a live cache");

        var expected = job.DeepClone();
        expected["metadata"]!.AsObject().Remove("managedFields");
        var served = body!["job"]!;
        Assert.True(JsonNode.DeepEquals(expected, served), $"expected {expected.ToJsonString()}\n but got {served.ToJsonString()}");
        Assert.Equal(3, served["spec"]!["runPolicy"]!["futurePolicy"]!["window"]!.GetValue<int>());
        Assert.Equal(2, served["spec"]!["pytorchReplicaSpecs"]!["Master"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!["cpu"]!.GetValue<int>());
    }
}
