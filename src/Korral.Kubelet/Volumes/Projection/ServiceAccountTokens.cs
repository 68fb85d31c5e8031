using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Volumes.Projection;

/// <summary>
/// Projected service account tokens, requested through TokenRequest and cached per pod volume like upstream's token
/// manager: a token is requested again once 80% of its lifetime (or 24 hours) has passed, and a still valid token is
/// kept when that request fails. When the API server has no TokenRequest the token file is left out (logged once).
/// </summary>
internal sealed class ServiceAccountTokens(IVolumeSource source, TimeProvider time, Action<string> log)
{
    /// <summary>The API default of serviceAccountToken.expirationSeconds.</summary>
    public const long DefaultExpirationSeconds = 3600;

    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private int _unsupportedLogged;

    public async Task<string?> GetAsync(Pod pod, string volumeName, ServiceAccountTokenProjection projection, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata?.Uid ?? "";
        var key = $"{uid}/{volumeName}/{projection.Path}";
        var now = time.GetUtcNow();
        _tokens.TryGetValue(key, out var cached);
        if (cached is not null && now < cached.RefreshAt)
        {
            return cached.Token;
        }

        var lifetime = TimeSpan.FromSeconds(projection.ExpirationSeconds ?? DefaultExpirationSeconds);
        string? token;
        try
        {
            token = await source.RequestServiceAccountTokenAsync(
                pod.Metadata?.Namespace ?? "default",
                pod.Spec?.ServiceAccountName is { Length: > 0 } account ? account : "default",
                string.IsNullOrEmpty(projection.Audience) ? [] : [projection.Audience],
                (long)lifetime.TotalSeconds,
                pod.Metadata?.Name ?? "",
                uid,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && cached is not null && now < cached.ExpiresAt)
        {
            log($"volumes: refreshing the service account token of pod {uid} volume {volumeName} failed ({e.Message}); keeping the current one until it expires");
            return cached.Token;
        }

        if (token is null)
        {
            if (Interlocked.Exchange(ref _unsupportedLogged, 1) == 0)
            {
                log("volumes: the API server does not serve TokenRequest (serviceaccounts/token); projected volumes are set up without their service account token files");
            }

            return null;
        }

        var refreshIn = TimeSpan.FromTicks(Math.Min((long)(lifetime.Ticks * 0.8), MaxAge.Ticks));
        _tokens[key] = new IssuedToken(token, now + refreshIn, now + lifetime);
        return token;
    }

    public void Forget(string podUid)
    {
        foreach (var key in _tokens.Keys.Where(k => k.StartsWith(podUid + "/", StringComparison.Ordinal)))
        {
            _tokens.TryRemove(key, out _);
        }
    }

    private sealed record IssuedToken(string Token, DateTimeOffset RefreshAt, DateTimeOffset ExpiresAt);
}
