namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// Something went wrong rather than "the pod does not fit" (a claim without a class, a class gone, an assume that lost
/// a race): the plugin turns it into an Error status, and the pod is retried with backoff.
/// </summary>
internal sealed class VolumeBindingException(string message) : Exception(message);
