using System.Runtime.CompilerServices;
using System.Text.Json;
using Dashboard.Kubernetes.Cache;

namespace Dashboard.Kubernetes.Sync;

/// <summary>
/// One page of a LIST as the raw UTF-8 body, with its list metadata (resourceVersion, continue,
/// remainingItemCount). The jobs are read from the same bytes on demand, in one pass.
/// </summary>
public sealed class ListPage
{
    private readonly int _length;

    private ListPage(byte[] buffer, int length, string? resourceVersion, string? continueToken, long? remainingItemCount)
    {
        Buffer = buffer;
        _length = length;
        ResourceVersion = resourceVersion;
        ContinueToken = continueToken;
        RemainingItemCount = remainingItemCount;
    }

    /// <summary>The buffer the body is in (its first bytes); the caller may reuse it once the jobs are read.</summary>
    public byte[] Buffer { get; }

    public string? ResourceVersion { get; }

    public string? ContinueToken { get; }

    public long? RemainingItemCount { get; }

    /// <summary>
    /// Reads the list metadata without tokenizing the items when it can: the API server writes "metadata" after
    /// "items" (keys sorted), so it is found from the end; a body laid out otherwise is scanned in full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ListPage Read(byte[] buffer, int length)
    {
        ReadOnlySpan<byte> body = buffer.AsSpan(0, length);
        var metadata = default(Metadata);
        var reader = new Utf8JsonReader(body);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("metadata"u8))
                {
                    reader.Read();
                    metadata = ReadMetadata(ref reader);
                    found = true;
                }
                else if (reader.ValueTextEquals("items"u8) && (found || TryReadTrailingMetadata(body, out metadata)))
                {
                    break;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return new ListPage(buffer, length, metadata.ResourceVersion, metadata.ContinueToken, metadata.RemainingItemCount);
    }

    /// <summary>
    /// The last "metadata" property of the body, if it belongs to the root object: then "{" plus the text from it
    /// to the end is one complete object (from anywhere deeper it would close more than it opens).
    /// </summary>
    private static bool TryReadTrailingMetadata(ReadOnlySpan<byte> body, out Metadata metadata)
    {
        metadata = default;
        var at = body.LastIndexOf("\"metadata\""u8);
        if (at <= 0 || body[..at].TrimEnd(" \t\r\n"u8) is not [.., (byte)',' or (byte)'{'])
        {
            return false;
        }

        var tail = new byte[body.Length - at + 1];
        tail[0] = (byte)'{';
        body[at..].CopyTo(tail.AsSpan(1));
        try
        {
            var reader = new Utf8JsonReader(tail);
            reader.Read();
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("metadata"u8))
                {
                    reader.Read();
                    metadata = ReadMetadata(ref reader);
                    found = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            // Nothing may follow the object but whitespace.
            return found && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            metadata = default;
            return false;
        }
    }

    private static Metadata ReadMetadata(ref Utf8JsonReader reader)
    {
        var metadata = default(Metadata);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return metadata;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceVersion"u8))
            {
                reader.Read();
                metadata.ResourceVersion = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("continue"u8))
            {
                reader.Read();
                metadata.ContinueToken = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("remainingItemCount"u8))
            {
                reader.Read();
                metadata.RemainingItemCount = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count) ? count : null;
            }

            reader.Skip();
        }

        return metadata;
    }

    private struct Metadata
    {
        public string? ResourceVersion;
        public string? ContinueToken;
        public long? RemainingItemCount;
    }

    /// <summary>The page's jobs: summary plus compact JSON each (the last "items" array wins).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public List<JobEntry> ReadJobs(StringPool? pool)
    {
        var jobs = new List<JobEntry>();
        ReadOnlySpan<byte> body = Buffer.AsSpan(0, _length);
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return jobs;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("items"u8))
            {
                reader.Skip();
                continue;
            }

            jobs.Clear();
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new JsonException("A list item is not a JSON object.");
                }

                var (summary, json) = JobJsonReader.Read(ref reader, body, pool);
                jobs.Add(new JobEntry(summary, json));
            }
        }

        return jobs;
    }
}
