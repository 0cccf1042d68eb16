using System.Collections.Immutable;
using Dashboard.Emulator.Errors;
using Dashboard.Emulator.Serialization;
using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Api;

/// <summary>GET on a collection without watch: one page of a consistent snapshot.</summary>
internal static class ListHandler
{
    public static Task HandleAsync(HttpContext http, ApiContext api, ResourceRoute route, ListQuery query)
    {
        var page = ReadPage(api.Store, route, query);
        if (route.Kind == ResourceKind.PyTorchJobs)
        {
            api.Stats.CountListPage(route.StatsKey);
        }

        if (TableRequest.Wants(http.Request))
        {
            var include = TableRequest.IncludeObject(http.Request);
            var now = api.Time.GetUtcNow();
            return JsonResponses.WriteAsync(http, 200, w => TableWriter.Write(w, route.Kind, page, include, now));
        }

        return JsonResponses.WriteAsync(http, 200, w => ListWriter.Write(w, route.Kind, page));
    }

    public static ListPage ReadPage(EmulatorStore store, ResourceRoute route, ListQuery query)
    {
        var (snapshot, startKey) = ChooseSnapshot(store, route.Kind, query);
        return Paginate(snapshot, route, query, startKey);
    }

    private static (ListSnapshot Snapshot, string? StartKey) ChooseSnapshot(EmulatorStore store, ResourceKind kind, ListQuery query)
    {
        if (query.Continue is { } token)
        {
            var (rv, start) = ContinueToken.Decode(token);
            if (rv == -1)
            {
                return (store.Snapshot(kind), start);
            }

            try
            {
                return (store.Snapshot(kind, rv), start);
            }
            catch (StatusException e) when (e.Code == 410)
            {
                throw ApiErrors.ExpiredContinue(ContinueToken.Encode(-1, start));
            }
        }

        if (query.ResourceVersionNumber is not { } requested)
        {
            return (store.Snapshot(kind), null);
        }

        var exact = query.ResourceVersionMatch == ListQuery.MatchExact || (query.ResourceVersionMatch is null && query.Limit is not null);
        if (exact)
        {
            return (store.Snapshot(kind, requested), null);
        }

        // Not older than the requested version: the latest state is newer, unless the request is from the future.
        var current = store.Snapshot(kind);
        if (requested > current.ResourceVersion)
        {
            throw ApiErrors.TooLargeResourceVersion(requested, current.ResourceVersion);
        }

        return (current, null);
    }

    private static ListPage Paginate(ListSnapshot snapshot, ResourceRoute route, ListQuery query, string? startKey)
    {
        var items = snapshot.Items;
        var prefix = route.Kind.KeyPrefix(route.Namespace);
        var rangeStart = LowerBound(items, startKey is not null && string.CompareOrdinal(startKey, prefix) > 0 ? startKey : prefix);
        var rangeEnd = prefix.Length == 0 ? items.Count : LowerBound(items, prefix[..^1] + (char)(prefix[^1] + 1));
        var limit = query.Limit ?? int.MaxValue;
        var page = new List<StoredObject>(Math.Min(limit, Math.Max(0, rangeEnd - rangeStart)));
        var index = rangeStart;
        for (; index < rangeEnd && page.Count < limit; index++)
        {
            var item = items[index];
            if (query.Labels.Matches(item.Labels) && query.Fields.Matches(item.Namespace, item.Name))
            {
                page.Add(item);
            }
        }

        var more = index < rangeEnd && page.Count > 0;
        string? next = more ? ContinueToken.Encode(snapshot.ResourceVersion, page[^1].Key + "\0") : null;
        long? remaining = more && !query.HasSelectors ? rangeEnd - index : null;
        return new ListPage(page, snapshot.ResourceVersion, next, remaining);
    }

    private static int LowerBound(ImmutableList<StoredObject> items, string key)
    {
        var index = items.BinarySearch(StoredObject.Probe(key), KeyOrder.Instance);
        return index >= 0 ? index : ~index;
    }
}
