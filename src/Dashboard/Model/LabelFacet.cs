namespace Dashboard.Model;

public sealed record LabelFacetValue(string Value, int Count);

/// <summary>One label key and the values the current jobs carry for it, with how many jobs carry each.</summary>
public sealed record LabelFacet(string Key, int JobCount, IReadOnlyList<LabelFacetValue> Values, int MoreValues);
