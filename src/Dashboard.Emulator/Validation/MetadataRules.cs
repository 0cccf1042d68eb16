using System.Globalization;
using System.Text;
using Dashboard.Emulator.Errors;
using Dashboard.Model.Selectors;
using k8s.Models;

namespace Dashboard.Emulator.Validation;

/// <summary>
/// apimachinery's ValidateLabels / ValidateAnnotations, worded as a v1.32 API server words them. The key and value
/// rules (IsQualifiedName, IsValidLabelValue) are the ones the selector parser uses, from Dashboard.Model.
/// </summary>
internal static class MetadataRules
{
    /// <summary>apimachinery's TotalAnnotationSizeLimitB: keys plus values of all annotations, in bytes.</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    /// <summary>A namespace's metadata: its name a DNS-1123 label, then its labels and annotations.</summary>
    public static IReadOnlyList<FieldError> CheckNamespace(V1ObjectMeta metadata) =>
        [.. NameRules.CheckLabel("metadata.name", metadata.Name), .. Check(metadata)];

    /// <summary>Labels then annotations, as ValidateObjectMetaAccessor checks them after the name.</summary>
    public static IEnumerable<FieldError> Check(V1ObjectMeta? metadata) =>
        metadata is null ? [] : CheckLabels("metadata.labels", metadata.Labels).Concat(CheckAnnotations("metadata.annotations", metadata.Annotations));

    /// <summary>
    /// Every key a qualified name, every value a label value. Go walks the map in random order; sorted keys keep the
    /// answer stable.
    /// </summary>
    public static IEnumerable<FieldError> CheckLabels(string field, IDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            yield break;
        }

        foreach (var key in labels.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var message in LabelValidation.IsQualifiedName(key))
            {
                yield return FieldError.InvalidValue(field, NameRules.Quote(key), message);
            }

            var value = labels[key] ?? "";
            foreach (var message in LabelValidation.IsValidLabelValue(value))
            {
                yield return FieldError.InvalidValue(field, NameRules.Quote(value), message);
            }
        }
    }

    /// <summary>Keys are qualified names ignoring case; keys and values together at most 256 KiB.</summary>
    public static IEnumerable<FieldError> CheckAnnotations(string field, IDictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            yield break;
        }

        long totalBytes = 0;
        foreach (var key in annotations.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var message in LabelValidation.IsQualifiedName(key.ToLowerInvariant()))
            {
                yield return FieldError.InvalidValue(field, NameRules.Quote(key), message);
            }

            totalBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(annotations[key] ?? "");
        }

        if (totalBytes > TotalAnnotationSizeLimit)
        {
            // field.TooLong leaves the value out of the message.
            yield return new FieldError(field, "FieldValueTooLong",
                string.Create(CultureInfo.InvariantCulture, $"Too long: must have at most {TotalAnnotationSizeLimit} bytes"));
        }
    }
}
