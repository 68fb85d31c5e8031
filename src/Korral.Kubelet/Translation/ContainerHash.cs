using System.Globalization;
using System.Text.Json;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// The hash the kubelet records on a container (annotation io.kubernetes.container.hash) and compares with the spec to
/// decide that a running container must be replaced.
/// </summary>
/// <remarks>
/// Since 1.31 upstream hashes only the fields of a pod's container that can change, name and image (everything else is
/// immutable; resources resize in place). This hashes the same JSON, <c>{"image":...,"name":...}</c>, with FNV-1a
/// 32-bit; upstream feeds the bytes through a pretty-printer first, so the numbers differ from a real kubelet's. Only
/// Korral reads them back.
/// </remarks>
public static class ContainerHash
{
    public static uint Compute(Container container)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("image", container.Image ?? "");
            writer.WriteString("name", container.Name ?? "");
            writer.WriteEndObject();
        }

        var hash = 2166136261u;
        foreach (var b in buffer.GetBuffer().AsSpan(0, (int)buffer.Length))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    /// <summary>The hash as the annotation holds it: lower-case hex without leading zeros.</summary>
    public static string Format(uint hash) => hash.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Whether a container created with annotation value <paramref name="recorded"/> still matches <paramref name="container"/>.</summary>
    public static bool Matches(Container container, string? recorded) =>
        recorded is not null && string.Equals(recorded, Format(Compute(container)), StringComparison.Ordinal);
}
