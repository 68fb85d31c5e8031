using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Tests.Logs;

namespace Korral.Kubelet.Tests.Server;

/// <summary>
/// GET pods/{name}/log through a real API server to a real kubelet server: what <c>kubectl logs [-f] [--previous]
/// [--tail] [--timestamps]</c> asks, and the refusals a user sees.
/// </summary>
public sealed class PodLogEndToEndTests(PodLogEndToEndFixture fixture) : IClassFixture<PodLogEndToEndFixture>
{
    private readonly string _ns = $"e2e-{Guid.NewGuid():N}"[..12];

    private static ContainerState Running() => new() { Running = new ContainerStateRunning { StartedAt = DateTimeOffset.UtcNow } };

    /// <summary>A namespace and a pod "web" with one container "main" bound to the kubelet's node, with the given container status.</summary>
    private async Task PodAsync(ContainerStatus status, bool admitted = true)
    {
        await fixture.Client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = _ns } }, CancellationToken.None);
        var pod = await fixture.Client.Resource<Pod>().CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = _ns },
            Spec = new PodSpec { NodeName = PodLogEndToEndFixture.NodeName, Containers = [new Container { Name = "main", Image = "busybox" }] },
        }, CancellationToken.None);
        status.Name = "main";
        pod.Status!.Phase = "Running";
        pod.Status.ContainerStatuses = [status];
        await fixture.Client.Resource<Pod>().UpdateStatusAsync(pod, CancellationToken.None);
        if (admitted)
        {
            fixture.Logs.Admitted[$"{_ns}/web"] = true;
        }
    }

    private string Container(string id, bool running, params string[] lines)
    {
        var path = Path.Combine(fixture.Dir.Path, $"{id}.log");
        File.WriteAllText(path, string.Concat(lines.Select((l, i) => $"2020-01-01T10:00:0{i % 10}.5Z stdout F {l}\n")));
        fixture.Logs.Containers[id] = (path, running);
        return path;
    }

    private async Task<(int Code, string Body)> GetAsync(string query = "")
    {
        using var response = await fixture.Http.GetAsync($"/api/v1/namespaces/{_ns}/pods/web/log{query}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonObject Status(string body) => JsonNode.Parse(body)!.AsObject();

    [Fact]
    public async Task Logs_of_a_running_container()
    {
        var id = $"c-{Guid.NewGuid():N}";
        Container(id, running: true, "hello", "world");
        await PodAsync(new ContainerStatus { ContainerID = $"containerd://{id}", State = Running() });

        Assert.Equal((200, "hello\nworld\n"), await GetAsync("?container=main"));
        Assert.Equal((200, "world\n"), await GetAsync("?tailLines=1"));
        Assert.Equal((200, "2020-01-01T10:00:01.500000000Z world\n"), await GetAsync("?tailLines=1&timestamps=true"));
        Assert.Equal((200, "hel"), await GetAsync("?limitBytes=3"));
    }

    [Fact]
    public async Task Follow_streams_new_lines_until_the_container_stops()
    {
        var id = $"c-{Guid.NewGuid():N}";
        var path = Container(id, running: true, "first");
        await PodAsync(new ContainerStatus { ContainerID = $"containerd://{id}", State = Running() });

        using var response = await fixture.Http.GetAsync($"/api/v1/namespaces/{_ns}/pods/web/log?follow=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        Assert.Equal("first", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        File.AppendAllText(path, "2020-01-01T10:00:09Z stdout F second\n");
        Assert.Equal("second", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        fixture.Logs.Containers[id] = (path, false);
        Assert.Equal("", await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Previous_reads_the_last_terminated_attempt()
    {
        var current = $"c-{Guid.NewGuid():N}";
        var old = $"c-{Guid.NewGuid():N}";
        Container(current, running: true, "attempt 2");
        Container(old, running: false, "attempt 1", "crashed");
        await PodAsync(new ContainerStatus
        {
            ContainerID = $"containerd://{current}",
            State = Running(),
            LastState = new ContainerState { Terminated = new ContainerStateTerminated { ContainerID = $"containerd://{old}", ExitCode = 1 } },
            RestartCount = 1,
        });

        Assert.Equal((200, "attempt 2\n"), await GetAsync());
        Assert.Equal((200, "attempt 1\ncrashed\n"), await GetAsync("?previous=true"));
    }

    [Fact]
    public async Task A_container_waiting_to_start_is_a_bad_request_with_the_kubelets_words()
    {
        await PodAsync(new ContainerStatus { State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } } });

        var (code, body) = await GetAsync();
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", (string?)Status(body)["reason"]);
        Assert.Equal("container \"main\" in pod \"web\" is waiting to start: ContainerCreating", (string?)Status(body)["message"]);

        (code, body) = await GetAsync("?previous=true");
        Assert.Equal(400, code);
        Assert.Equal("previous terminated container \"main\" in pod \"web\" not found", (string?)Status(body)["message"]);
    }

    [Fact]
    public async Task A_pod_the_kubelet_does_not_run_is_not_found()
    {
        await PodAsync(new ContainerStatus { State = Running() }, admitted: false);

        var (code, body) = await GetAsync();
        Assert.Equal(404, code);
        Assert.Equal("NotFound", (string?)Status(body)["reason"]);
        Assert.Equal("the server could not find the requested resource ( pods/log web)", (string?)Status(body)["message"]);
    }
}
