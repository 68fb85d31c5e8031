namespace Korral.Client.LeaderElection;

/// <summary>
/// Campaigns again and again until cancelled: upstream components exit when they lose leadership and are restarted; a
/// component inside <c>korral server</c> cannot exit, so it runs a fresh <see cref="LeaderElector"/> term after each loss
/// (and after an election error, once <see cref="LeaderElectionConfig.RetryPeriod"/> has passed).
/// </summary>
public static class CampaignLoop
{
    /// <param name="who">How log lines name the component, e.g. <c>scheduler host-1_5f…</c>.</param>
    public static async Task RunAsync(KubeClient client, LeaderElectionConfig config, string who, CancellationToken cancellationToken)
    {
        var log = config.Log ?? (_ => { });
        while (!cancellationToken.IsCancellationRequested)
        {
            var elector = new LeaderElector(client, config);
            try
            {
                await elector.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested)
            {
                // Releasing the lease while the server shuts down too; the lease then simply expires.
                log($"{who}: stopping: {e.GetType().Name}: {e.Message}");
                return;
            }
            catch (Exception e)
            {
                log($"{who}: leader election failed, campaigning again after {config.RetryPeriod.TotalSeconds} s: {e}");
                try
                {
                    await Task.Delay(config.RetryPeriod, config.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                log($"{who}: lost leadership; stopped, campaigning again");
            }
        }
    }
}
