using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.DefaultBinder;

namespace Korral.Scheduler.Tests.Plugins.DefaultBinder;

public sealed class DefaultBinderPluginTests
{
    [Fact]
    public async Task Binds_through_the_binding_subresource_with_the_pods_uid()
    {
        var api = new RecordingApi(HttpStatusCode.Created, """{"kind":"Status","apiVersion":"v1","status":"Success","code":201}""");
        using var client = ClientFor(api);

        var status = await new DefaultBinderPlugin(new Handle(client)).BindAsync(new CycleState(), Objects.PodInfo("web"), "node-1", CancellationToken.None);

        Assert.True(status.IsSuccess, status.ToString());
        Assert.Equal("POST", api.Method);
        Assert.Equal("/api/v1/namespaces/default/pods/web/binding", api.Path);
        var body = JsonNode.Parse(api.Body!)!;
        Assert.Equal("Binding", (string?)body["kind"]);
        Assert.Equal("web", (string?)body["metadata"]!["name"]);
        Assert.Equal("default", (string?)body["metadata"]!["namespace"]);
        Assert.Equal("uid-web", (string?)body["metadata"]!["uid"]);
        Assert.Equal("Node", (string?)body["target"]!["kind"]);
        Assert.Equal("node-1", (string?)body["target"]!["name"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, "Conflict", "Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"node-2\"")]
    [InlineData(HttpStatusCode.NotFound, "NotFound", "pods \"web\" not found")]
    public async Task Api_errors_become_an_error_status_with_the_servers_message(HttpStatusCode code, string reason, string message)
    {
        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["reason"] = reason,
            ["code"] = (int)code,
            ["message"] = message,
        };
        using var client = ClientFor(new RecordingApi(code, body.ToJsonString()));

        var status = await new DefaultBinderPlugin(new Handle(client)).BindAsync(new CycleState(), Objects.PodInfo("web"), "node-1", CancellationToken.None);

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal(message, status.Message);
    }

    private static KubeClient ClientFor(HttpMessageHandler api) =>
        new(new KubeClientOptions { Server = new Uri("http://api.test"), Handler = api, MaxRetries = 0 });

    /// <summary>Answers every request with one canned response and keeps the last request.</summary>
    private sealed class RecordingApi(HttpStatusCode code, string response) : HttpMessageHandler
    {
        public string? Method { get; private set; }

        public string? Path { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Method = request.Method.Method;
            Path = request.RequestUri!.AbsolutePath;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(code) { Content = new StringContent(response, Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>A framework handle with only the client; the binder uses nothing else.</summary>
    private sealed class Handle(KubeClient client) : IFrameworkHandle
    {
        public KubeClient Client => client;

        public SharedInformerFactory Informers => throw new NotSupportedException();

        public IEventRecorder Events => throw new NotSupportedException();

        public TimeProvider Time => TimeProvider.System;

        public Action<string> Log => _ => { };

        public IWaitingPods WaitingPods => throw new NotSupportedException();

        public INominator Nominator => throw new NotSupportedException();

        public Snapshot Snapshot => throw new NotSupportedException();

        public string SchedulerName => "default-scheduler";

        public Status RunFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) => throw new NotSupportedException();

        public Status RunPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) => throw new NotSupportedException();

        public Status RunPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) => throw new NotSupportedException();
    }
}
