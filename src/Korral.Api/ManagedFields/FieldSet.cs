namespace Korral.Api.ManagedFields;

/// <summary>
/// An immutable set of field paths, the unit of ownership in managedFields. It is a tree: each node is a path element
/// that may itself be a member (owned) and may have children. Members are leaves in upstream's sense: scalars,
/// atomic lists and maps, list and map items, and empty or null structs. Set operations walk sorted nodes, so they are
/// linear in the size of the sets.
/// </summary>
public sealed partial class FieldSet : IEquatable<FieldSet>
{
    internal readonly Node[] Nodes;

    internal FieldSet(Node[] nodes)
    {
        Nodes = nodes;
    }

    /// <summary>The empty set.</summary>
    public static FieldSet Empty { get; } = new([]);

    public bool IsEmpty => Nodes.Length == 0;

    /// <summary>The number of member paths.</summary>
    public int Count
    {
        get
        {
            var n = 0;
            foreach (var node in Nodes)
            {
                n += (node.Member ? 1 : 0) + (node.Children?.Count ?? 0);
            }

            return n;
        }
    }

    /// <summary>A set holding exactly these paths.</summary>
    public static FieldSet FromPaths(IEnumerable<FieldSetPath> paths)
    {
        var builder = new FieldSetBuilder();
        foreach (var path in paths)
        {
            builder.Insert(path.Elements, 0);
        }

        return builder.Build();
    }

    public static FieldSet FromPaths(params FieldSetPath[] paths) => FromPaths((IEnumerable<FieldSetPath>)paths);

    /// <summary>Whether <paramref name="path"/> is a member.</summary>
    public bool Has(FieldSetPath path)
    {
        var set = this;
        var elements = path.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            var at = set.IndexOf(elements[i]);
            if (at < 0)
            {
                return false;
            }

            if (i == elements.Count - 1)
            {
                return set.Nodes[at].Member;
            }

            set = set.Nodes[at].Children;
            if (set is null)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The members below <paramref name="element"/>, relative to it.</summary>
    public FieldSet WithPrefix(PathElement element)
    {
        var at = IndexOf(element);
        return at < 0 ? Empty : Nodes[at].Children ?? Empty;
    }

    /// <summary>The member paths in upstream's iteration order (at each level, members before descending).</summary>
    public IEnumerable<FieldSetPath> Paths => Iterate([]);

    private IEnumerable<FieldSetPath> Iterate(PathElement[] prefix)
    {
        foreach (var node in Nodes)
        {
            if (node.Member)
            {
                yield return new FieldSetPath([.. prefix, node.Element]);
            }
        }

        foreach (var node in Nodes)
        {
            if (node.Children is not null)
            {
                foreach (var p in node.Children.Iterate([.. prefix, node.Element]))
                {
                    yield return p;
                }
            }
        }
    }

    internal int IndexOf(PathElement element)
    {
        var nodes = Nodes;
        if (nodes.Length <= 8)
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                if (nodes[i].Element.Equals(element))
                {
                    return i;
                }
            }

            return -1;
        }

        int lo = 0, hi = nodes.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = nodes[mid].Element.CompareTo(element);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>Every member of either set.</summary>
    public FieldSet Union(FieldSet other)
    {
        if (other.IsEmpty || ReferenceEquals(this, other))
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var a = Nodes;
        var b = other.Nodes;
        var result = new Node[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            var c = a[i].Element.CompareTo(b[j].Element);
            if (c < 0)
            {
                result[n++] = a[i++];
            }
            else if (c > 0)
            {
                result[n++] = b[j++];
            }
            else
            {
                result[n++] = new Node(a[i].Element, a[i].Member || b[j].Member, UnionOf(a[i].Children, b[j].Children));
                i++;
                j++;
            }
        }

        while (i < a.Length)
        {
            result[n++] = a[i++];
        }

        while (j < b.Length)
        {
            result[n++] = b[j++];
        }

        return new FieldSet(n == result.Length ? result : result[..n]);
    }

    /// <summary>The members of this set that are not members of <paramref name="other"/>.</summary>
    public FieldSet Difference(FieldSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        return Subtract(other, recursive: false);
    }

    /// <summary>
    /// The members of this set that are neither members of <paramref name="other"/> nor below one of its members
    /// (removing <c>.status</c> removes everything under it).
    /// </summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        return Subtract(other, recursive: true);
    }

    private FieldSet Subtract(FieldSet other, bool recursive)
    {
        var a = Nodes;
        var b = other.Nodes;
        List<Node>? result = null;
        int i = 0, j = 0;
        for (; i < a.Length; i++)
        {
            while (j < b.Length && b[j].Element.CompareTo(a[i].Element) < 0)
            {
                j++;
            }

            var node = a[i];
            Node? replacement = node;
            if (j < b.Length && b[j].Element.Equals(node.Element))
            {
                var o = b[j];
                if (recursive && o.Member)
                {
                    replacement = null;
                }
                else
                {
                    var member = node.Member && (recursive || !o.Member);
                    var children = node.Children;
                    if (children is not null && o.Children is not null)
                    {
                        children = recursive ? children.RecursiveDifference(o.Children) : children.Difference(o.Children);
                        if (children.IsEmpty)
                        {
                            children = null;
                        }
                    }

                    replacement = member || children is not null ? new Node(node.Element, member, children) : null;
                    if (replacement is { } r && r.Member == node.Member && ReferenceEquals(r.Children, node.Children))
                    {
                        replacement = node;
                    }
                }
            }

            if (result is null)
            {
                if (replacement is { } same && same.Member == node.Member && ReferenceEquals(same.Children, node.Children))
                {
                    continue;
                }

                result = new List<Node>(a.Length);
                for (var k = 0; k < i; k++)
                {
                    result.Add(a[k]);
                }
            }

            if (replacement is { } kept)
            {
                result.Add(kept);
            }
        }

        return result is null ? this : result.Count == 0 ? Empty : new FieldSet([.. result]);
    }

    /// <summary>The members of both sets.</summary>
    public FieldSet Intersection(FieldSet other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return Empty;
        }

        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var a = Nodes;
        var b = other.Nodes;
        List<Node>? result = null;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var c = a[i].Element.CompareTo(b[j].Element);
            if (c < 0)
            {
                i++;
            }
            else if (c > 0)
            {
                j++;
            }
            else
            {
                var member = a[i].Member && b[j].Member;
                FieldSet? children = null;
                if (a[i].Children is not null && b[j].Children is not null)
                {
                    children = a[i].Children!.Intersection(b[j].Children!);
                    if (children.IsEmpty)
                    {
                        children = null;
                    }
                }

                if (member || children is not null)
                {
                    (result ??= []).Add(new Node(a[i].Element, member, children));
                }

                i++;
                j++;
            }
        }

        return result is null ? Empty : new FieldSet([.. result]);
    }

    private static FieldSet? UnionOf(FieldSet? a, FieldSet? b) => a is null ? b : b is null ? a : a.Union(b);

    public bool Equals(FieldSet? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Nodes.Length != other.Nodes.Length)
        {
            return false;
        }

        for (var i = 0; i < Nodes.Length; i++)
        {
            var a = Nodes[i];
            var b = other.Nodes[i];
            if (a.Member != b.Member || !a.Element.Equals(b.Element))
            {
                return false;
            }

            if (a.Children is null ? b.Children is not null : !a.Children.Equals(b.Children))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is FieldSet s && Equals(s);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var n in Nodes)
        {
            h.Add(n.Element);
            h.Add(n.Member);
        }

        return h.ToHashCode();
    }

    /// <summary>One member path per line, as upstream prints a set.</summary>
    public override string ToString() => string.Join("\n", Paths.Select(p => p.ToString()));

    /// <summary>One node of the tree: a path element, whether it is a member, and its children (null when none).</summary>
    internal readonly record struct Node(PathElement Element, bool Member, FieldSet? Children);
}
