using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Translation;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Probes;

/// <summary>
/// An exec probe through the runtime's ExecSync, as upstream runs it: the command's <c>$(VAR)</c> references expanded
/// from the container's literal env values only (no valueFrom, no service variables), timeoutSeconds passed to the
/// runtime, exit 0 a success and anything else a failure whose output is stdout then stderr (at most 10 KiB). A runtime
/// deadline is a failure ("command "…" timed out"); any other runtime error means the probe could not run (unknown).
/// </summary>
internal sealed class ExecProbe(IRuntimeService runtime)
{
    /// <summary>Upstream keeps at most this much of an exec probe's output.</summary>
    public const int MaxOutputLength = 10 * 1024;

    // The runtime enforces timeoutSeconds and answers DeadlineExceeded itself; this margin only guards against a runtime
    // that never answers at all.
    private static readonly TimeSpan RuntimeMargin = TimeSpan.FromSeconds(5);

    public async Task<ProbeOutcome> RunAsync(ExecAction exec, Container container, string containerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = Expand(exec.Command ?? [], container.Env);
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = (long)timeout.TotalSeconds };
        request.Cmd.AddRange(command);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + RuntimeMargin);
        try
        {
            var result = await runtime.ExecSyncAsync(request, deadline.Token);
            var output = Truncate(result.Stdout.Concat(result.Stderr).ToArray());
            return result.ExitCode == 0 ? ProbeOutcome.Passed(output) : ProbeOutcome.Failed(output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed(TimedOut(command));
        }
        catch (CriException e) when (e.StatusCode == CriException.DeadlineExceeded)
        {
            return ProbeOutcome.Failed(TimedOut(command));
        }
        catch (CriException e)
        {
            return ProbeOutcome.Errored(e.RpcError);
        }
    }

    /// <summary>Upstream's ExpandContainerCommandOnlyStatic: a later env entry of the same name wins; valueFrom ones expand to "".</summary>
    internal static IReadOnlyList<string> Expand(IEnumerable<string> command, IEnumerable<EnvVar>? env)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in env ?? [])
        {
            if (variable.Name is { } name)
            {
                values[name] = variable.Value ?? "";
            }
        }

        return command.Select(part => values.Count == 0 ? part : VariableExpansion.Expand(part, values)).ToList();
    }

    private static string Truncate(byte[] output) =>
        System.Text.Encoding.UTF8.GetString(output, 0, Math.Min(output.Length, MaxOutputLength));

    private static string TimedOut(IEnumerable<string> command) => $"command {GoText.Quote(string.Join(' ', command))} timed out";
}
