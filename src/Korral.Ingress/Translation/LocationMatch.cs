namespace Korral.Ingress.Translation;

/// <summary>How an nginx location compares the request path: <c>location = /p</c> or <c>location /p</c>.</summary>
public enum LocationMatch
{
    /// <summary>The whole path equals the location's (<c>location = /p</c>).</summary>
    Exact,

    /// <summary>The path starts with the location's string (<c>location /p</c>); nginx takes the longest such match.</summary>
    Prefix,
}
