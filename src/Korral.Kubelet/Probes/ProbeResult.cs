namespace Korral.Kubelet.Probes;

/// <summary>
/// What one probe run concluded, as upstream's probe results: a warning counts as a success (an httpGet probe that ended
/// on a redirect it did not follow) and is reported with a ProbeWarning event; unknown is the result of a probe that
/// could not run at all (see <see cref="ProbeOutcome.Error"/>).
/// </summary>
public enum ProbeResult
{
    Success,
    Warning,
    Failure,
    Unknown,
}
