using System.Text.Json;
using Korral.ApiServer.OpenApi;

namespace Korral.ApiServer.Tests.OpenApi;

public sealed class OpenApiV2DocumentTests
{
    [Theory]
    [InlineData("application/com.github.proto-openapi.spec.v2@v1.0+protobuf")]
    [InlineData("application/com.github.proto-openapi.spec.v2.v1.0+protobuf")]
    [InlineData("*/*")]
    [InlineData("text/html")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json")]
    public void Answers_an_empty_protobuf_document_with_a_parsable_content_type(string? accept)
    {
        var response = OpenApiV2Document.Resolve(accept);

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(response.Body);
        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", response.ContentType);
        Assert.DoesNotContain("@", response.ContentType);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json, */*")]
    [InlineData("application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf")]
    public void Answers_an_empty_swagger_document_to_json_clients(string accept)
    {
        var response = OpenApiV2Document.Resolve(accept);
        var body = JsonDocument.Parse(response.Body).RootElement;

        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("2.0", body.GetProperty("swagger").GetString());
        Assert.Equal("Kubernetes", body.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("v1.33.1", body.GetProperty("info").GetProperty("version").GetString());
        Assert.Empty(body.GetProperty("paths").EnumerateObject());
        Assert.Empty(body.GetProperty("definitions").EnumerateObject());
    }
}
