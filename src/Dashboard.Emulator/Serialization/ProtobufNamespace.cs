using System.Text;
using Dashboard.Emulator.Errors;
using k8s.Models;

namespace Dashboard.Emulator.Serialization;

/// <summary>
/// Reads the protobuf body kubectl sends for core types (`kubectl create namespace`): the "k8s\0" envelope
/// (runtime.Unknown) around a v1.Namespace, of which the name, generateName, labels and annotations are kept.
/// </summary>
internal static class ProtobufNamespace
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static V1Namespace Read(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ApiErrors.BadRequest("the object provided is unrecognized or invalid: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        var raw = Field(body[Magic.Length..], 2) ?? [];
        var metadata = Field(raw, 1) ?? [];
        var meta = new V1ObjectMeta
        {
            Name = Text(Field(metadata, 1)),
            GenerateName = Text(Field(metadata, 2)),
            Labels = Map(metadata, 11),
            Annotations = Map(metadata, 12),
        };
        return new V1Namespace { ApiVersion = "v1", Kind = V1Namespace.KubeKind, Metadata = meta };
    }

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static Dictionary<string, string>? Map(ReadOnlySpan<byte> message, int field)
    {
        Dictionary<string, string>? map = null;
        foreach (var entry in Fields(message.ToArray(), field))
        {
            map ??= new Dictionary<string, string>(StringComparer.Ordinal);
            map[Text(Field(entry, 1)) ?? ""] = Text(Field(entry, 2)) ?? "";
        }

        return map;
    }

    private static byte[]? Field(ReadOnlySpan<byte> message, int field) => Fields(message.ToArray(), field).LastOrDefault();

    /// <summary>Every length-delimited value of a field number; other wire types are skipped.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int field)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var wireType = (int)(key & 7);
            var number = (int)(key >> 3);
            switch (wireType)
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (length < 0 || position + length > message.Length)
                    {
                        throw ApiErrors.BadRequest("the object provided is unrecognized or invalid: truncated protobuf");
                    }

                    if (number == field)
                    {
                        yield return message[position..(position + length)];
                    }

                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw ApiErrors.BadRequest($"the object provided is unrecognized or invalid: protobuf wire type {wireType}");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= message.Length)
            {
                throw ApiErrors.BadRequest("the object provided is unrecognized or invalid: truncated protobuf");
            }

            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw ApiErrors.BadRequest("the object provided is unrecognized or invalid: bad protobuf varint");
    }
}
