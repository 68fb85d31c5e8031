using System.Text;

namespace Korral.Api.Validation;

/// <summary>
/// The path of a field inside an object, printed as upstream's <c>field.Path</c> does:
/// <c>spec.containers[0].image</c>, <c>metadata.labels[app]</c> (map keys are not quoted). Immutable; each step
/// returns a new path that shares its parent.
/// </summary>
public sealed class FieldPath
{
    private readonly FieldPath? parent;
    private readonly string name;
    private readonly int index;
    private readonly Step step;

    private enum Step
    {
        Root,
        Child,
        Index,
        Key,
    }

    private FieldPath(FieldPath? parent, Step step, string name, int index)
    {
        this.parent = parent;
        this.step = step;
        this.name = name;
        this.index = index;
    }

    /// <summary>The empty path; it prints as the empty string (used for errors about the whole object).</summary>
    public static FieldPath Empty { get; } = new(null, Step.Root, "", 0);

    /// <summary>A root path such as <c>spec</c> or <c>metadata.name</c> (<c>Root("metadata", "name")</c>).</summary>
    public static FieldPath Root(string name, params string[] more)
    {
        var path = new FieldPath(null, Step.Child, name, 0);
        foreach (var m in more)
        {
            path = path.Child(m);
        }

        return path;
    }

    /// <summary>A named child, <c>.name</c>.</summary>
    public FieldPath Child(string child, params string[] more)
    {
        var path = new FieldPath(IsEmpty ? null : this, Step.Child, child, 0);
        foreach (var m in more)
        {
            path = path.Child(m);
        }

        return path;
    }

    /// <summary>A list element, <c>[3]</c>.</summary>
    public FieldPath Index(int i) => new(this, Step.Index, "", i);

    /// <summary>A map entry, <c>[key]</c>.</summary>
    public FieldPath Key(string key) => new(this, Step.Key, key, 0);

    public bool IsEmpty => step == Step.Root;

    public override string ToString()
    {
        if (IsEmpty)
        {
            return "";
        }

        var steps = new List<FieldPath>();
        for (var p = this; p is not null && !p.IsEmpty; p = p.parent)
        {
            steps.Add(p);
        }

        var sb = new StringBuilder();
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            var p = steps[i];
            switch (p.step)
            {
                case Step.Child:
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    sb.Append(p.name);
                    break;
                case Step.Index:
                    sb.Append('[').Append(p.index).Append(']');
                    break;
                case Step.Key:
                    sb.Append('[').Append(p.name).Append(']');
                    break;
            }
        }

        return sb.ToString();
    }
}
