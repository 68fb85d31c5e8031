namespace Korral.Api.ManagedFields;

/// <summary>Collects the nodes of one level of a <see cref="FieldSet"/> in any order; <see cref="Build"/> sorts them.</summary>
internal sealed class FieldSetBuilder
{
    private List<FieldSet.Node>? nodes;
    private Dictionary<PathElement, FieldSetBuilder>? pending;

    public bool IsEmpty => (nodes is null || nodes.Count == 0) && (pending is null || pending.Count == 0);

    /// <summary>Adds a node; adding the same element twice merges the two.</summary>
    public void Add(PathElement element, bool member, FieldSet? children)
    {
        if (children is { IsEmpty: true })
        {
            children = null;
        }

        if (!member && children is null)
        {
            return;
        }

        (nodes ??= []).Add(new FieldSet.Node(element, member, children));
    }

    /// <summary>Inserts a member path (used to build sets from explicit paths).</summary>
    public void Insert(IReadOnlyList<PathElement> path, int from)
    {
        if (from >= path.Count)
        {
            return;
        }

        if (from == path.Count - 1)
        {
            Add(path[from], true, null);
            return;
        }

        pending ??= [];
        if (!pending.TryGetValue(path[from], out var child))
        {
            child = new FieldSetBuilder();
            pending[path[from]] = child;
        }

        child.Insert(path, from + 1);
    }

    public FieldSet Build()
    {
        if (pending is not null)
        {
            foreach (var (element, child) in pending)
            {
                Add(element, false, child.Build());
            }

            pending = null;
        }

        if (nodes is null || nodes.Count == 0)
        {
            return FieldSet.Empty;
        }

        var list = nodes;
        nodes = null;
        if (list.Count == 1)
        {
            return new FieldSet([list[0]]);
        }

        list.Sort(static (a, b) => a.Element.CompareTo(b.Element));
        var result = new List<FieldSet.Node>(list.Count);
        foreach (var node in list)
        {
            if (result.Count > 0 && result[^1].Element.Equals(node.Element))
            {
                var prev = result[^1];
                var children = prev.Children is null ? node.Children : node.Children is null ? prev.Children : prev.Children.Union(node.Children);
                result[^1] = new FieldSet.Node(prev.Element, prev.Member || node.Member, children);
            }
            else
            {
                result.Add(node);
            }
        }

        return new FieldSet([.. result]);
    }
}
