namespace Korral.Scheduler.Plugins.NodeAffinity;

/// <summary>Go's <c>errors.NewAggregate(errs).Error()</c>: one message as is, several distinct ones as <c>[a, b]</c>.</summary>
internal static class GoErrors
{
    public static string? Aggregate(IReadOnlyList<string> errors)
    {
        if (errors.Count == 0)
        {
            return null;
        }

        if (errors.Count == 1)
        {
            return errors[0];
        }

        var distinct = new List<string>();
        foreach (var e in errors)
        {
            if (!distinct.Contains(e))
            {
                distinct.Add(e);
            }
        }

        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }
}
