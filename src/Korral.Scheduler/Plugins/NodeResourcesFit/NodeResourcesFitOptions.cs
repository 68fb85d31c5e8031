namespace Korral.Scheduler.Plugins.NodeResourcesFit;

/// <summary>
/// NodeResourcesFit's settings (upstream's NodeResourcesFitArgs). Defaults are upstream's: LeastAllocated over cpu and
/// memory with weight 1 each, nothing ignored. <see cref="Validate"/> lists every problem; the plugin refuses invalid options.
/// </summary>
public sealed record NodeResourcesFitOptions
{
    /// <summary>cpu and memory, weight 1 each.</summary>
    public static IReadOnlyList<ResourceSpec> DefaultResources { get; } = [new("cpu", 1), new("memory", 1)];

    public ScoringStrategyType ScoringStrategy { get; init; } = ScoringStrategyType.LeastAllocated;

    public IReadOnlyList<ResourceSpec> Resources { get; init; } = DefaultResources;

    /// <summary>
    /// RequestedToCapacityRatio only: points in increasing utilization. The default (0→0, 100→10) favours fuller
    /// nodes, the bin-packing shape upstream's documentation shows.
    /// </summary>
    public IReadOnlyList<UtilizationShapePoint> Shape { get; init; } = [new(0, 0), new(100, 10)];

    /// <summary>Extended resources (<c>example.com/foo</c>) Filter does not check.</summary>
    public IReadOnlyList<string> IgnoredResources { get; init; } = [];

    /// <summary>Extended resource groups (the part before <c>/</c>) Filter does not check.</summary>
    public IReadOnlyList<string> IgnoredResourceGroups { get; init; } = [];

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(ScoringStrategy))
        {
            errors.Add($"scoringStrategy.type: Unsupported value: \"{ScoringStrategy}\"");
        }

        errors.AddRange(ValidateResources(Resources, "scoringStrategy.resources"));
        if (ScoringStrategy == ScoringStrategyType.RequestedToCapacityRatio)
        {
            if (Shape.Count == 0)
            {
                errors.Add("scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must be specified");
            }

            for (var i = 0; i < Shape.Count; i++)
            {
                var p = Shape[i];
                if (p.Utilization is < 0 or > 100)
                {
                    errors.Add($"scoringStrategy.requestedToCapacityRatio.shape[{i}].utilization: Invalid value: {p.Utilization}: not in valid range [0, 100]");
                }
                else if (i > 0 && p.Utilization <= Shape[i - 1].Utilization)
                {
                    errors.Add($"scoringStrategy.requestedToCapacityRatio.shape[{i}].utilization: Invalid value: {p.Utilization}: utilization values must be sorted in increasing order");
                }

                if (p.Score is < 0 or > 10)
                {
                    errors.Add($"scoringStrategy.requestedToCapacityRatio.shape[{i}].score: Invalid value: {p.Score}: not in valid range [0, 10]");
                }
            }
        }

        for (var i = 0; i < IgnoredResourceGroups.Count; i++)
        {
            if (IgnoredResourceGroups[i].Length == 0 || IgnoredResourceGroups[i].Contains('/', StringComparison.Ordinal))
            {
                errors.Add($"ignoredResourceGroups[{i}]: Invalid value: \"{IgnoredResourceGroups[i]}\": resource group name can't contain '/'");
            }
        }

        return errors;
    }

    /// <summary>Resource names must be set and distinct, weights in 1–100 (upstream's validateResources).</summary>
    internal static IEnumerable<string> ValidateResources(IReadOnlyList<ResourceSpec> resources, string path)
    {
        if (resources.Count == 0)
        {
            yield return $"{path}: Required value: at least one resource must be specified";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < resources.Count; i++)
        {
            var r = resources[i];
            if (string.IsNullOrEmpty(r.Name))
            {
                yield return $"{path}[{i}].name: Required value";
            }
            else if (!seen.Add(r.Name))
            {
                yield return $"{path}[{i}].name: Duplicate value: \"{r.Name}\"";
            }

            if (r.Weight is < 1 or > 100)
            {
                yield return $"{path}[{i}].weight: Invalid value: {r.Weight}: resource weight of {r.Name} not in valid range [1, 100]";
            }
        }
    }
}
