using System.Collections;

namespace Korral.Api.Validation;

/// <summary>
/// The errors found while validating one object, in the order upstream reports them. Empty means valid. Turns into
/// upstream's 422 message (<see cref="ToInvalidMessage"/>) and <c>Status.details.causes</c> (<see cref="Causes"/>).
/// </summary>
public sealed class FieldErrorList : IReadOnlyList<FieldError>
{
    private readonly List<FieldError> errors = [];

    public FieldErrorList()
    {
    }

    public FieldErrorList(IEnumerable<FieldError> errors)
    {
        this.errors.AddRange(errors);
    }

    public static FieldErrorList None => [];

    public int Count => errors.Count;

    public bool IsEmpty => errors.Count == 0;

    public FieldError this[int index] => errors[index];

    public void Add(FieldError error) => errors.Add(error);

    public void AddRange(IEnumerable<FieldError> more) => errors.AddRange(more);

    /// <summary>Removes the errors that match, e.g. to drop errors about a field the caller handles itself.</summary>
    public int RemoveWhere(Predicate<FieldError> match) => errors.RemoveAll(match);

    /// <summary>Each distinct error text (<c>field: body</c>), duplicates dropped as upstream's aggregate does.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<string>(errors.Count);
            foreach (var e in errors)
            {
                var text = e.ToString();
                if (seen.Add(text))
                {
                    list.Add(text);
                }
            }

            return list;
        }
    }

    /// <summary>The causes of a 422 <c>Status</c>, one per error (duplicates kept, as upstream).</summary>
    public IReadOnlyList<FieldErrorCause> Causes => errors.Select(e => e.Cause).ToList();

    /// <summary>One error as it is, several as <c>[a, b]</c>; "" when empty.</summary>
    public string ToAggregateString()
    {
        var messages = Messages;
        return messages.Count switch
        {
            0 => "",
            1 => messages[0],
            _ => "[" + string.Join(", ", messages) + "]",
        };
    }

    /// <summary>
    /// The message of a 422 Invalid status: <c>Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: …</c>
    /// (kind qualified by its group when the group is not core), or <c>… is invalid</c> when there are no errors.
    /// </summary>
    public string ToInvalidMessage(string kind, string group, string name)
    {
        var qualified = group.Length == 0 ? kind : kind + "." + group;
        return IsEmpty
            ? $"{qualified} {GoSyntax.Quote(name)} is invalid"
            : $"{qualified} {GoSyntax.Quote(name)} is invalid: {ToAggregateString()}";
    }

    public IEnumerator<FieldError> GetEnumerator() => errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => ToAggregateString();
}
