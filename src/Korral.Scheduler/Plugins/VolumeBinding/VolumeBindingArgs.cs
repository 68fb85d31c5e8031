namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>Settings of the VolumeBinding plugin (upstream's VolumeBindingArgs, plus Korral's stand-in for the PV controller).</summary>
public sealed record VolumeBindingArgs
{
    public static VolumeBindingArgs Default { get; } = new();

    /// <summary>How long PreBind waits for the claims to be bound (upstream bindTimeoutSeconds, 600).</summary>
    public TimeSpan BindTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// Whether PreBind finishes a static binding itself the way upstream's PV controller would (volume phase Bound,
    /// claim volumeName, bind-completed and Bound status). Korral has no PV controller yet; turn this off once it has one,
    /// or every static binding is written twice.
    /// </summary>
    public bool CompleteStaticBindings { get; init; } = true;
}
