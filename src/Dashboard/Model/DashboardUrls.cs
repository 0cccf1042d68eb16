namespace Dashboard.Model;

/// <summary>
/// Every link the dashboard builds, in one place: these URLs are part of the product (people share them),
/// so pages never concatenate query strings themselves.
/// </summary>
public static class DashboardUrls
{
    public const string JobsBasePath = "jobs";
    public const string TimelineBasePath = "timeline";

    public static string JobsUrl(string? @namespace = null, string? labelSelector = null, string? search = null, string? sort = null, string? job = null)
    {
        var url = "/" + JobsBasePath;
        url = AddQueryString(url, "namespace", @namespace);
        url = AddQueryString(url, "labelSelector", labelSelector);
        url = AddQueryString(url, "search", search);
        url = AddQueryString(url, "sort", sort);
        url = AddQueryString(url, "job", job);
        return url;
    }

    public static string JobDetailUrl(string @namespace, string name) =>
        $"/{JobsBasePath}/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(name)}";

    public static string TimelineUrl(string? @namespace = null, string? labelSelector = null)
    {
        var url = "/" + TimelineBasePath;
        url = AddQueryString(url, "namespace", @namespace);
        url = AddQueryString(url, "labelSelector", labelSelector);
        return url;
    }

    /// <summary>The timeline with its time window: <paramref name="window"/> is seconds, <c>all</c>, or null for automatic.</summary>
    public static string TimelineUrl(string? @namespace, string? labelSelector, string? window) =>
        AddQueryString(TimelineUrl(@namespace, labelSelector), "window", window);

    // Empty values are left out so the shortest URL is the canonical one.
    private static string AddQueryString(string url, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return url;
        }

        var separator = url.Contains('?') ? '&' : '?';
        return $"{url}{separator}{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";
    }
}
