namespace Korral.Kubelet.Translation;

/// <summary>
/// The outcome of translating part of a pod: a value, or an error message worded as upstream's kubelet words it (the
/// caller turns it into CreateContainerConfigError or a sandbox failure), plus the warnings to record as pod events.
/// </summary>
public sealed class TranslationResult<T>
    where T : class
{
    private TranslationResult(T? value, string? error, IReadOnlyList<TranslationWarning> warnings)
    {
        Value = value;
        Error = error;
        Warnings = warnings;
    }

    /// <summary>The translated value; null exactly when <see cref="Error"/> is set.</summary>
    public T? Value { get; }

    /// <summary>Why the translation failed, in upstream's words (e.g. <c>configmap "x" not found</c>).</summary>
    public string? Error { get; }

    public IReadOnlyList<TranslationWarning> Warnings { get; }

    public bool Succeeded => Error is null;

    public static TranslationResult<T> Ok(T value, IReadOnlyList<TranslationWarning>? warnings = null) =>
        new(value, null, warnings ?? []);

    public static TranslationResult<T> Fail(string error, IReadOnlyList<TranslationWarning>? warnings = null) =>
        new(null, error, warnings ?? []);
}
