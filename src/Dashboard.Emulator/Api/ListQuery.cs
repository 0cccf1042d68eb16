using System.Globalization;
using Dashboard.Emulator.Errors;
using Dashboard.Model.Selectors;

namespace Dashboard.Emulator.Api;

/// <summary>The query parameters of a list or watch, parsed and checked as the API server checks them.</summary>
internal sealed record ListQuery(
    LabelSelector Labels,
    FieldSelector Fields,
    int? Limit,
    string? Continue,
    string? ResourceVersion,
    string? ResourceVersionMatch,
    bool Watch,
    bool AllowWatchBookmarks,
    int? TimeoutSeconds,
    bool SendInitialEvents)
{
    public const string MatchExact = "Exact";
    public const string MatchNotOlderThan = "NotOlderThan";

    public bool HasSelectors => !Labels.IsEmpty || !Fields.IsEmpty;

    /// <summary>The resourceVersion as a number; null when unset or "0" (any version).</summary>
    public long? ResourceVersionNumber => string.IsNullOrEmpty(ResourceVersion) || ResourceVersion == "0"
        ? null
        : long.Parse(ResourceVersion, CultureInfo.InvariantCulture);

    public static ListQuery Parse(IQueryCollection query)
    {
        var labels = ParseSelector(() => LabelSelector.Parse(query["labelSelector"]));
        var fields = ParseSelector(() => FieldSelector.Parse(query["fieldSelector"]));
        var parsed = new ListQuery(
            labels,
            fields,
            ParseInt(query, "limit") is { } limit && limit > 0 ? limit : null,
            NullIfEmpty(query["continue"]),
            NullIfEmpty(query["resourceVersion"]),
            NullIfEmpty(query["resourceVersionMatch"]),
            ParseBool(query, "watch"),
            ParseBool(query, "allowWatchBookmarks"),
            ParseInt(query, "timeoutSeconds"),
            ParseBool(query, "sendInitialEvents"));
        parsed.Validate();
        return parsed;
    }

    private void Validate()
    {
        if (ResourceVersion is not null && !long.TryParse(ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw ApiErrors.BadRequest($"invalid resource version: {ResourceVersion}");
        }

        if (Continue is not null && ResourceVersion is not null && ResourceVersion != "0")
        {
            throw ApiErrors.BadRequest("specifying resource version is not allowed when using continue");
        }

        if (ResourceVersionMatch is not null)
        {
            if (ResourceVersionMatch is not (MatchExact or MatchNotOlderThan))
            {
                throw ApiErrors.BadRequest($"resourceVersionMatch: Unsupported value: \"{ResourceVersionMatch}\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
            }

            if (Continue is not null)
            {
                throw ApiErrors.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided");
            }

            if (ResourceVersionMatch == MatchExact && ResourceVersionNumber is null)
            {
                throw ApiErrors.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
            }

            if (ResourceVersion is null && !SendInitialEvents)
            {
                throw ApiErrors.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
            }
        }

        if (SendInitialEvents)
        {
            if (!Watch)
            {
                throw ApiErrors.BadRequest("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
            }

            if (ResourceVersionMatch != MatchNotOlderThan)
            {
                throw ApiErrors.BadRequest("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
            }
        }
    }

    private static T ParseSelector<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (SelectorParseException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    private static int? ParseInt(IQueryCollection query, string name)
    {
        var text = NullIfEmpty(query[name]);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? (int)Math.Clamp(value, int.MinValue, int.MaxValue)
            : throw ApiErrors.BadRequest($"{name}: Invalid value: \"{text}\": strconv.ParseInt: parsing \"{text}\": invalid syntax");
    }

    /// <summary>Go's strconv.ParseBool, which the API server uses for query flags.</summary>
    private static bool ParseBool(IQueryCollection query, string name) => NullIfEmpty(query[name]) switch
    {
        null => false,
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        var text => throw ApiErrors.BadRequest($"{name}: Invalid value: \"{text}\": strconv.ParseBool: parsing \"{text}\": invalid syntax"),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
