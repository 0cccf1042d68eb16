using Dashboard.Kubernetes.Query;

namespace Dashboard.Model;

/// <summary>What the grid shows right now: rows after search and sort, plus facets over all subscribed jobs.</summary>
public sealed record JobListView(IReadOnlyList<JobSummary> Rows, int Total, IReadOnlyList<LabelFacet> Facets)
{
    public static JobListView Empty { get; } = new([], 0, []);
}

/// <summary>
/// A page's own copy of its subscription's jobs (key → summary). Batches are applied off the render thread,
/// so everything here is guarded by one lock and views are immutable snapshots handed to the renderer.
/// </summary>
public sealed class JobListState
{
    public const int MaxFacetValues = 12;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, JobSummary> _jobs = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Count;
            }
        }
    }

    public void Reset(IEnumerable<JobSummary> jobs)
    {
        lock (_lock)
        {
            _jobs.Clear();
            foreach (var job in jobs)
            {
                _jobs[job.Key] = job;
            }
        }
    }

    public void Apply(IReadOnlyList<JobChange> changes)
    {
        lock (_lock)
        {
            foreach (var change in changes)
            {
                var key = change.Namespace + "/" + change.Name;
                if (change.Kind == JobChangeKind.Delete || change.Job is null)
                {
                    _jobs.Remove(key);
                }
                else
                {
                    _jobs[key] = change.Job;
                }
            }
        }
    }

    public IReadOnlyList<JobSummary> All()
    {
        lock (_lock)
        {
            return [.. _jobs.Values];
        }
    }

    public JobListView BuildView(string? search, JobSort sort, DateTimeOffset now)
    {
        JobSummary[] all;
        lock (_lock)
        {
            all = [.. _jobs.Values];
        }

        var rows = string.IsNullOrWhiteSpace(search) ? all : [.. all.Where(j => MatchesSearch(j, search.Trim()))];
        Array.Sort(rows, Comparer(sort, now));
        // Facets count what is shown: with a search, the label values of the matching jobs.
        return new JobListView(rows, all.Length, BuildFacets(rows));
    }

    public static bool MatchesSearch(JobSummary job, string search)
    {
        static bool Has(string? text, string search) => text is not null && text.Contains(search, StringComparison.OrdinalIgnoreCase);

        if (Has(job.Name, search) || Has(job.Namespace, search) || Has(job.Image, search) || Has(JobStateStyle.Label(job.State), search))
        {
            return true;
        }

        foreach (var (key, value) in job.Labels)
        {
            if (Has(key + "=" + value, search))
            {
                return true;
            }
        }

        return false;
    }

    public static IComparer<JobSummary> Comparer(JobSort sort, DateTimeOffset now)
    {
        Comparison<JobSummary> primary = sort.Column switch
        {
            JobSortColumn.Namespace => (a, b) => string.CompareOrdinal(a.Namespace, b.Namespace),
            JobSortColumn.State => (a, b) => JobStateStyle.Rank(a.State).CompareTo(JobStateStyle.Rank(b.State)),
            // Age ascending = youngest first, like sorting by "how long ago".
            JobSortColumn.Age => (a, b) => Nullable.Compare(b.CreatedAt, a.CreatedAt),
            JobSortColumn.Duration => (a, b) => Nullable.Compare(a.Duration(now), b.Duration(now)),
            JobSortColumn.Image => (a, b) => string.CompareOrdinal(a.Image, b.Image),
            _ => (a, b) => string.CompareOrdinal(a.Name, b.Name),
        };

        // Ties break on the key so the order is stable between batches.
        return System.Collections.Generic.Comparer<JobSummary>.Create((a, b) =>
        {
            var result = primary(a, b);
            if (sort.Descending)
            {
                result = -result;
            }

            return result != 0 ? result : string.CompareOrdinal(a.Key, b.Key);
        });
    }

    public static IReadOnlyList<LabelFacet> BuildFacets(IEnumerable<JobSummary> jobs)
    {
        var byKey = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            foreach (var (key, value) in job.Labels)
            {
                if (!byKey.TryGetValue(key, out var values))
                {
                    values = new Dictionary<string, int>(StringComparer.Ordinal);
                    byKey[key] = values;
                }

                values[value] = values.GetValueOrDefault(value) + 1;
            }
        }

        return
        [
            .. byKey
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new LabelFacet(
                    kv.Key,
                    kv.Value.Values.Sum(),
                    [.. kv.Value
                        .OrderByDescending(v => v.Value)
                        .ThenBy(v => v.Key, StringComparer.Ordinal)
                        .Take(MaxFacetValues)
                        .Select(v => new LabelFacetValue(v.Key, v.Value))],
                    Math.Max(0, kv.Value.Count - MaxFacetValues))),
        ];
    }
}
