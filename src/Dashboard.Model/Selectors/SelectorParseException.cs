namespace Dashboard.Model.Selectors;

/// <summary>A label or field selector that does not parse. The message is the one the API server gives.</summary>
public sealed class SelectorParseException(string message) : FormatException(message);
