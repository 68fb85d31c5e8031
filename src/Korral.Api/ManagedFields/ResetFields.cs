namespace Korral.Api.ManagedFields;

/// <summary>The reset-field sets upstream strategies declare most often, to pass as a context's ResetFields.</summary>
public static class ResetFields
{
    /// <summary>The main resource of a kind with a status subresource: writes there never own <c>status</c>.</summary>
    public static FieldSet Status { get; } = FieldSet.FromPaths(FieldSetPath.Fields("status"));

    /// <summary>The status subresource: writes there never own <c>spec</c>.</summary>
    public static FieldSet Spec { get; } = FieldSet.FromPaths(FieldSetPath.Fields("spec"));

    /// <summary>
    /// The status subresource of workloads such as Deployments, whose status strategy also keeps labels:
    /// <c>spec</c> and <c>metadata.labels</c>.
    /// </summary>
    public static FieldSet SpecAndLabels { get; } =
        FieldSet.FromPaths(FieldSetPath.Fields("spec"), FieldSetPath.Fields("metadata", "labels"));
}
