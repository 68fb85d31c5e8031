using Korral.Api.Models.MetaV1;
using Korral.Client;
using Selector = Korral.Api.Selectors.LabelSelector;

namespace Korral.Controllers.Common;

/// <summary>
/// Claims objects for a controller (upstream's ControllerRefManager): objects it controls that still match its selector
/// are kept; those that no longer match are released (their controller reference removed); orphans that match are
/// adopted (a controller reference added) — unless the controller is being deleted. Objects controlled by someone else
/// are never touched. Before the first adoption, <c>canAdopt</c> re-reads the owner from the API (a cached owner may
/// have been deleted and re-created under the same name).
/// </summary>
public sealed class ControllerRefManager<T>(
    ObjectMeta owner,
    OwnerReference controllerRef,
    Selector selector,
    Func<T, ObjectMeta?> meta,
    Func<CancellationToken, Task> canAdopt,
    Func<T, string, CancellationToken, Task> patch)
    where T : class
{
    private Task? _canAdopt;

    public async Task<List<T>> ClaimAsync(IEnumerable<T> candidates, CancellationToken cancellationToken)
    {
        var claimed = new List<T>();
        List<Exception>? errors = null;
        foreach (var obj in candidates)
        {
            try
            {
                if (await ClaimOneAsync(obj, cancellationToken))
                {
                    claimed.Add(obj);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                (errors ??= []).Add(e);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("claiming objects failed", errors);
        }

        return claimed;
    }

    private async Task<bool> ClaimOneAsync(T obj, CancellationToken cancellationToken)
    {
        var m = meta(obj);
        var matches = selector.Matches(m?.Labels?.AsReadOnly());
        var controller = OwnerRefs.ControllerOf(m);
        if (controller is not null)
        {
            if (controller.Uid != owner.Uid)
            {
                return false;
            }

            if (matches)
            {
                return true;
            }

            if (owner.DeletionTimestamp is not null)
            {
                return false;
            }

            // Release: it is ours but no longer matches.
            try
            {
                await patch(obj, OwnerRefs.ReleasePatch(owner.Uid ?? "", m?.Uid), cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound || e.IsInvalid)
            {
                // Gone, or the uid precondition failed (a new object under the name): nothing to release.
            }

            return false;
        }

        if (owner.DeletionTimestamp is not null || !matches || m?.DeletionTimestamp is not null || m?.Namespace != owner.Namespace)
        {
            return false;
        }

        await (_canAdopt ??= canAdopt(cancellationToken));
        try
        {
            await patch(obj, OwnerRefs.AdoptPatch(controllerRef, m?.Uid), cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }

        return true;
    }
}
