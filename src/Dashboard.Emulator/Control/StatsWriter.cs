using System.Globalization;
using System.Text.Json;
using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Control;

/// <summary>The /emulator/stats document.</summary>
internal static class StatsWriter
{
    public static void Write(Utf8JsonWriter writer, EmulatorStore store, EmulatorStats stats)
    {
        writer.WriteStartObject();
        writer.WriteString("resourceVersion", store.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        writer.WriteStartObject("objects");
        foreach (var (ns, count) in store.JobCountsByNamespace().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(ns, count);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("requests");
        writer.WriteNumber("listPages", stats.ListPages);
        writer.WriteNumber("watchesOpened", stats.WatchesOpened);
        writer.WriteNumber("writes", stats.Writes);
        writer.WriteNumber("gets", stats.Gets);
        writer.WriteEndObject();
        WriteCounts(writer, "listPagesByNamespace", stats.ListPagesByNamespace);
        WriteCounts(writer, "watchesOpenedByNamespace", stats.WatchesOpenedByNamespace);
        WriteCounts(writer, "watchesOpenNow", stats.WatchesOpenNow);
        writer.WriteNumber("faultsServed", stats.FaultsServed);
        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, long> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (ns, count) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(ns, count);
        }

        writer.WriteEndObject();
    }
}
