namespace Korral.Api.ManagedFields;

/// <summary>
/// A server-side apply that would change fields other managers own. The server answers 409 Conflict with
/// <see cref="Exception.Message"/> as the Status message and one cause per conflict
/// (reason <see cref="CauseReason"/>, message <see cref="FieldConflict.CauseMessage"/>, field the path).
/// </summary>
public sealed class FieldConflictException : Exception
{
    /// <summary>The StatusCause reason upstream uses for apply conflicts.</summary>
    public const string CauseReason = "FieldManagerConflict";

    public FieldConflictException(IReadOnlyList<FieldConflict> conflicts)
        : base(MessageFor(conflicts))
    {
        Conflicts = conflicts;
    }

    /// <summary>The conflicts, grouped by manager (managers in identifier order, paths in set order).</summary>
    public IReadOnlyList<FieldConflict> Conflicts { get; }

    /// <summary>
    /// Upstream's text: <c>Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas</c>, or for
    /// several <c>Apply failed with 2 conflicts: conflicts with "m" using apps/v1:\n- .a\n- .b</c>.
    /// </summary>
    public static string MessageFor(IReadOnlyList<FieldConflict> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: {conflicts[0].CauseMessage}: {conflicts[0].Path}";
        }

        var lines = new List<string>();
        foreach (var group in conflicts.GroupBy(c => c.Key).OrderBy(g => g.Key.Identifier, Utf8Order.Instance))
        {
            lines.Add($"conflicts with {group.First().ManagerDescription}:");
            lines.AddRange(group.Select(c => $"- {c.Path}"));
        }

        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
