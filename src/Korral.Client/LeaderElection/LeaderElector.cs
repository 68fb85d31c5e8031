using Korral.Api.Models.CoordinationV1;
using Korral.Api.Models.MetaV1;

namespace Korral.Client.LeaderElection;

/// <summary>
/// Leader election on a Lease, as upstream's leaderelection package: candidates try every RetryPeriod to take the
/// Lease; it is free when it has no holder or when this candidate has not seen it change for leaseDurationSeconds
/// (measured on the candidate's own clock from when it observed the last change, so clock skew between machines does not
/// matter). The leader renews every RetryPeriod and gives up if it cannot within RenewDeadline. Every write is a PUT
/// with the resourceVersion read, so two candidates can never both win.
/// </summary>
public sealed class LeaderElector
{
    private readonly LeaderElectionConfig _config;
    private readonly ResourceClient<Lease> _leases;
    private readonly Action<string> _log;
    private Lease? _observed;
    private long _observedAt;
    private string? _reportedLeader;
    private volatile bool _isLeader;
    private volatile string? _leader;

    public LeaderElector(KubeClient client, LeaderElectionConfig config)
    {
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid leader election config:\n  " + string.Join("\n  ", errors), nameof(config));
        }

        _config = config;
        _leases = client.Resource<Lease>();
        var log = config.Log ?? (_ => { });
        _log = line => log($"leader election {config.LeaseNamespace}/{config.LeaseName} ({config.Identity}): {line}");
    }

    /// <summary>Whether this candidate holds the lease (as of its last successful acquire or renew).</summary>
    public bool IsLeader => _isLeader;

    /// <summary>The holder this candidate last observed, or null.</summary>
    public string? Leader => _leader;

    /// <summary>
    /// Campaigns until leading, runs <see cref="LeaderElectionConfig.OnStartedLeading"/>, renews until leadership is lost or
    /// the token is cancelled, waits for the work to stop, releases the lease if so configured, and returns. Run it again to
    /// campaign again (upstream components exit instead).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await AcquireAsync(cancellationToken))
        {
            return;
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => _config.OnStartedLeading?.Invoke(leading.Token) ?? Task.CompletedTask, CancellationToken.None);
        try
        {
            await RenewAsync(cancellationToken);
        }
        finally
        {
            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                _log($"the leader's work failed: {e}");
            }

            if (cancellationToken.IsCancellationRequested && _config.ReleaseOnCancel && _isLeader)
            {
                await ReleaseAsync();
            }

            _isLeader = false;
            Callback(() => _config.OnStoppedLeading?.Invoke(), "OnStoppedLeading");
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        _log("campaigning");
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken))
            {
                _log("acquired the lease");
                return true;
            }

            if (!await DelayAsync(Backoff.Jitter(_config.RetryPeriod, LeaderElectionConfig.JitterFactor), cancellationToken))
            {
                return false;
            }
        }

        return false;
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var time = _config.Time;
        while (await DelayAsync(_config.RetryPeriod, cancellationToken))
        {
            // Try every RetryPeriod until a renewal succeeds or RenewDeadline has passed since this round began.
            var started = time.GetTimestamp();
            var renewed = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                var left = _config.RenewDeadline - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(left);
                if (await TryAcquireOrRenewAsync(attempt.Token))
                {
                    renewed = true;
                    break;
                }

                if (!await DelayAsync(_config.RetryPeriod, cancellationToken))
                {
                    break;
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (!renewed)
            {
                _log($"failed to renew within {_config.RenewDeadline.TotalSeconds:F0} s: leadership lost");
                _isLeader = false;
                return;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _config.Time.GetUtcNow();
        var seconds = (int)_config.LeaseDuration.TotalSeconds;
        try
        {
            var lease = await _leases.TryGetAsync(_config.LeaseNamespace, _config.LeaseName, cancellationToken);
            if (lease is null)
            {
                var created = await _leases.CreateAsync(new Lease
                {
                    Metadata = new ObjectMeta { Name = _config.LeaseName, Namespace = _config.LeaseNamespace },
                    Spec = new LeaseSpec
                    {
                        HolderIdentity = _config.Identity,
                        LeaseDurationSeconds = seconds,
                        AcquireTime = now,
                        RenewTime = now,
                        LeaseTransitions = 0,
                    },
                }, cancellationToken);
                Observe(created);
                return true;
            }

            Observe(lease);
            var spec = lease.Spec ?? new LeaseSpec();
            var holder = spec.HolderIdentity;
            var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? seconds);
            if (!string.IsNullOrEmpty(holder) && holder != _config.Identity && _config.Time.GetElapsedTime(_observedAt) < duration)
            {
                _isLeader = false;
                return false;
            }

            var ours = holder == _config.Identity;
            lease.Spec = new LeaseSpec
            {
                HolderIdentity = _config.Identity,
                LeaseDurationSeconds = seconds,
                AcquireTime = ours ? spec.AcquireTime ?? now : now,
                RenewTime = now,
                LeaseTransitions = ours ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
            };
            Observe(await _leases.UpdateAsync(lease, cancellationToken));
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsAlreadyExists)
        {
            // Another candidate wrote first; the next try reads its record.
            return false;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _log($"reading or writing the lease failed: {e.Message}");
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Clears the holder (leaseDurationSeconds 1) so that the next candidate acquires at once.</summary>
    private async Task ReleaseAsync()
    {
        if (_observed is not { } lease || lease.Spec?.HolderIdentity != _config.Identity)
        {
            return;
        }

        var now = _config.Time.GetUtcNow();
        lease.Spec = new LeaseSpec
        {
            LeaseDurationSeconds = 1,
            AcquireTime = now,
            RenewTime = now,
            LeaseTransitions = lease.Spec.LeaseTransitions,
        };
        try
        {
            using var timeout = new CancellationTokenSource(_config.RenewDeadline);
            Observe(await _leases.UpdateAsync(lease, timeout.Token));
            _log("released the lease");
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            _log($"releasing the lease failed ({e.Message}); successors wait for it to expire");
        }
    }

    /// <summary>Records the lease as seen now if it changed (resourceVersion), and reports a new leader.</summary>
    private void Observe(Lease lease)
    {
        if (_observed?.Metadata?.ResourceVersion != lease.Metadata?.ResourceVersion)
        {
            _observedAt = _config.Time.GetTimestamp();
        }

        _observed = lease;
        var holder = lease.Spec?.HolderIdentity;
        _isLeader = holder == _config.Identity;
        _leader = string.IsNullOrEmpty(holder) ? null : holder;
        if (_leader is { } leader && leader != _reportedLeader)
        {
            _reportedLeader = leader;
            Callback(() => _config.OnNewLeader?.Invoke(leader), "OnNewLeader");
        }
    }

    private void Callback(Action action, string name)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            _log($"{name} threw: {e}");
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _config.Time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
