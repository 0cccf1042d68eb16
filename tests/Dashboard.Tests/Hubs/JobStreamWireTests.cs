using System.Text;
using Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Dashboard.Tests.Hubs;

/// <summary>The keys other clients see on the wire: camelCase in both protocols, enums as strings.</summary>
public sealed class JobStreamWireTests
{
    private static readonly JobStreamMessage Message = new(
        JobStreamMessage.ChangesKind,
        "team-a",
        "app=bert",
        "42",
        new SyncStateDto("Live", 3, null, 0, null, null, null, new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
        [JobStreamMapper.ToDto(FakeJobQueryService.Job("team-a", "bert"))],
        [new JobKeyDto("team-a", "old")]);

    public static TheoryData<string> Protocols => ["json", "messagepack"];

    [Fact]
    public void One_summary_has_one_wire_form_shared_by_every_stream()
    {
        var job = FakeJobQueryService.Job("team-a", "bert");

        var first = JobStreamMapper.ToSnapshotMessage(new Kubernetes.Query.JobSnapshot("team-a", null, "1", new(Kubernetes.Query.SyncPhase.Live), [job]));
        var second = JobStreamMapper.ToSnapshotMessage(new Kubernetes.Query.JobSnapshot("team-a", "app", "1", new(Kubernetes.Query.SyncPhase.Live), [job]));

        Assert.Same(first.Jobs[0], second.Jobs[0]);
        Assert.NotSame(first.Jobs[0], JobStreamMapper.ToDto(job with { ResourceVersion = "2" }));
        Assert.Equal("2", JobStreamMapper.ToDto(job with { ResourceVersion = "2" }).ResourceVersion);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Keys_are_camel_case_and_states_are_strings(string protocolName)
    {
        IHubProtocol protocol = protocolName == "json" ? new JsonHubProtocol() : new MessagePackHubProtocol();

        var bytes = protocol.GetMessageBytes(new StreamItemMessage("1", Message)).ToArray();
        var wire = Encoding.UTF8.GetString(bytes);

        foreach (var key in new[] { "kind", "namespace", "labelSelector", "resourceVersion", "sync", "phase", "lastSyncedAt", "jobs", "deletes", "uid", "stateReason", "createdAt", "labels", "master", "desired", "elastic" })
        {
            Assert.Contains(key, wire, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("ResourceVersion", wire, StringComparison.Ordinal);
        Assert.DoesNotContain("isSnapshot", wire, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Running", wire, StringComparison.Ordinal);
        Assert.Contains("changes", wire, StringComparison.Ordinal);
    }
}
