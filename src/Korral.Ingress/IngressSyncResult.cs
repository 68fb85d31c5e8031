using Korral.Ingress.Nginx;
using Korral.Ingress.Translation;

namespace Korral.Ingress;

/// <summary>One regeneration: what the Ingresses said, the nginx.conf written from it, and what applying it did.</summary>
public sealed record IngressSyncResult(NginxConfiguration Configuration, string Text, NginxApplyResult Applied);
