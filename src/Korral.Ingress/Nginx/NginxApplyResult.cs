namespace Korral.Ingress.Nginx;

/// <summary>The outcome of <see cref="NginxSupervisor.ApplyAsync"/>, with nginx's messages when it refused.</summary>
public sealed record NginxApplyResult(NginxApplyOutcome Outcome, string? Message = null);
