namespace Dashboard.Model;

public enum JobSortColumn
{
    Name,
    Namespace,
    State,
    Age,
    Duration,
    Image,
}

/// <summary>The grid's sort, as kept in the URL: the column name, "-" in front for descending (e.g. "-age").</summary>
public readonly record struct JobSort(JobSortColumn Column, bool Descending)
{
    public static JobSort Default { get; } = new(JobSortColumn.Name, false);

    public static JobSort Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        var descending = text.StartsWith('-');
        var name = descending ? text[1..] : text;
        return Enum.TryParse<JobSortColumn>(name, ignoreCase: true, out var column) && Enum.IsDefined(column)
            ? new JobSort(column, descending)
            : Default;
    }

    /// <summary>Clicking a header: the same column flips direction, another column starts ascending.</summary>
    public JobSort Toggle(JobSortColumn column) => column == Column ? this with { Descending = !Descending } : new JobSort(column, false);

    public override string ToString() => (Descending ? "-" : "") + Column.ToString().ToLowerInvariant();
}
