namespace Korral.Kubelet.Translation;

/// <summary>
/// Something upstream's kubelet reports as a Warning event on the pod while translating it (reason and message as
/// upstream words them, e.g. DNSConfigForming); translation still succeeds.
/// </summary>
public sealed record TranslationWarning(string Reason, string Message);
