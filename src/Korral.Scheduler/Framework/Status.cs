namespace Korral.Scheduler.Framework;

/// <summary>
/// A plugin's answer: a code and the reasons shown to users (each reason becomes one entry in
/// <c>0/3 nodes are available: 3 Insufficient cpu.</c>). Immutable; <see cref="Success"/> is shared.
/// </summary>
public sealed class Status
{
    public static readonly Status Success = new(StatusCode.Success, [], null);
    public static readonly Status Skip = new(StatusCode.Skip, [], null);

    private Status(StatusCode code, string[] reasons, string? plugin)
    {
        Code = code;
        Reasons = reasons;
        Plugin = plugin;
    }

    public StatusCode Code { get; }

    /// <summary>Reasons in the order the plugin gave them.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>The plugin that failed the pod (set by the framework), null for success.</summary>
    public string? Plugin { get; }

    public bool IsSuccess => Code == StatusCode.Success;

    public bool IsSkip => Code == StatusCode.Skip;

    /// <summary>Unschedulable or UnschedulableAndUnresolvable: the pod was rejected, not failed.</summary>
    public bool IsRejected => Code is StatusCode.Unschedulable or StatusCode.UnschedulableAndUnresolvable or StatusCode.Pending;

    public string Message => string.Join(", ", Reasons);

    public static Status Unschedulable(params string[] reasons) => new(StatusCode.Unschedulable, reasons, null);

    public static Status Unresolvable(params string[] reasons) => new(StatusCode.UnschedulableAndUnresolvable, reasons, null);

    public static Status Error(string message) => new(StatusCode.Error, [message], null);

    public static Status Wait(string? reason = null) => new(StatusCode.Wait, reason is null ? [] : [reason], null);

    public static Status Pending(params string[] reasons) => new(StatusCode.Pending, reasons, null);

    public static Status Of(StatusCode code, params string[] reasons) =>
        code == StatusCode.Success && reasons.Length == 0 ? Success : new(code, reasons, null);

    /// <summary>The same status attributed to <paramref name="plugin"/> (success stays the shared instance).</summary>
    public Status WithPlugin(string plugin) => Code == StatusCode.Success || Plugin == plugin ? this : new(Code, (string[])Reasons, plugin);

    public override string ToString() => Reasons.Count == 0 ? Code.ToString() : $"{Code}: {Message}";
}
