namespace Korral.Ingress.Nginx;

/// <summary>What <c>nginx -t</c> said of a configuration file.</summary>
/// <param name="Ok">It would load.</param>
/// <param name="Output">nginx's messages (the [emerg] line says what is wrong and where).</param>
public sealed record NginxTestResult(bool Ok, string Output);
