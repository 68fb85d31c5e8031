namespace Korral.Api.ManagedFields;

/// <summary>
/// A path to a field inside an object, as the field manager tracks it, printed as upstream prints it in conflicts:
/// <c>.spec.template.spec.containers[name="nginx"].image</c>.
/// </summary>
public sealed class FieldSetPath : IEquatable<FieldSetPath>
{
    private readonly PathElement[] elements;

    public FieldSetPath(params PathElement[] elements)
    {
        this.elements = elements;
    }

    public FieldSetPath(IEnumerable<PathElement> elements)
    {
        this.elements = elements.ToArray();
    }

    public IReadOnlyList<PathElement> Elements => elements;

    public int Count => elements.Length;

    /// <summary>A path of field names only, e.g. <c>FieldSetPath.Fields("spec", "replicas")</c>.</summary>
    public static FieldSetPath Fields(params string[] names) => new(names.Select(PathElement.Field));

    /// <summary>This path extended by <paramref name="element"/>.</summary>
    public FieldSetPath Append(PathElement element)
    {
        var copy = new PathElement[elements.Length + 1];
        elements.CopyTo(copy, 0);
        copy[^1] = element;
        return new FieldSetPath(copy);
    }

    public bool Equals(FieldSetPath? other) => other is not null && elements.AsSpan().SequenceEqual(other.elements);

    public override bool Equals(object? obj) => obj is FieldSetPath p && Equals(p);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var e in elements)
        {
            h.Add(e);
        }

        return h.ToHashCode();
    }

    public override string ToString() => string.Concat(elements.Select(e => e.ToString()));
}
