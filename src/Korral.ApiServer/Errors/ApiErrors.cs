using Korral.Api.Resources;

namespace Korral.ApiServer.Errors;

/// <summary>Factories for the errors upstream returns, with upstream's reasons and message formats.</summary>
public static class ApiErrors
{
    public static ApiException NotFound(ResourceInfo resource, string name) =>
        new(404, "NotFound", $"{resource.QualifiedName} \"{name}\" not found", name, resource.Group, resource.Plural);

    public static ApiException NotFound(string qualifiedResource, string name, string group = "") =>
        new(404, "NotFound", $"{qualifiedResource} \"{name}\" not found", name, group, qualifiedResource.Split('.')[0]);

    /// <summary>A 404 for a path that names nothing served (kubectl prints "the server could not find the requested resource").</summary>
    public static ApiException PathNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException AlreadyExists(ResourceInfo resource, string name) =>
        new(409, "AlreadyExists", $"{resource.QualifiedName} \"{name}\" already exists", name, resource.Group, resource.Plural);

    /// <summary>
    /// The server's own generated names kept colliding: still AlreadyExists, but saying the server picked the name, with
    /// the retry hint of one second upstream gives.
    /// </summary>
    public static ApiException GenerateNameConflict(ResourceInfo resource, string name) =>
        new(409, "AlreadyExists", $"{resource.QualifiedName} \"{name}\" already exists, the server was not able to generate a unique name for the object",
            name, resource.Group, resource.Plural, retryAfterSeconds: 1);

    public static ApiException Conflict(ResourceInfo resource, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.QualifiedName} \"{name}\": {detail}", name, resource.Group, resource.Plural);

    public static ApiException StaleUpdate(ResourceInfo resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>A 422; <paramref name="message"/> is the already-rendered list of field errors.</summary>
    public static ApiException Invalid(ResourceInfo resource, string name, string message, IReadOnlyList<StatusCause> causes) =>
        new(422, "Invalid", $"{(resource.Group.Length == 0 ? resource.Kind : $"{resource.Kind}.{resource.Group}")} \"{name}\" is invalid: {message}",
            name, resource.Group, resource.Kind, causes);

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Forbidden(ResourceInfo resource, string name, string detail) =>
        new(403, "Forbidden", $"{resource.QualifiedName} \"{name}\" is forbidden: {detail}", name, resource.Group, resource.Plural);

    public static ApiException MethodNotSupported(ResourceInfo resource, string verb) =>
        new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{resource.QualifiedName}\"", kind: resource.Plural, group: resource.Group);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Gone(string message) => new(410, "Gone", message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {contentType})");

    public static ApiException NotAcceptable(string accept) =>
        new(406, "NotAcceptable", $"only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {accept})");

    public static ApiException RequestEntityTooLarge(string message) => new(413, "RequestEntityTooLarge", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException Timeout(string message, int retryAfter = 1) => new(504, "Timeout", $"Timeout: {message}", retryAfterSeconds: retryAfter);

    /// <summary>A read at a revision the cache has not reached in time; client-go's reflector looks for the cause.</summary>
    public static ApiException TooLargeResourceVersion(long requested, long current) =>
        new(504, "Timeout", $"Timeout: Too large resource version: {requested}, current: {current}",
            causes: [new StatusCause("ResourceVersionTooLarge", "Too large resource version", null)], retryAfterSeconds: 1);

    public static ApiException TooManyRequests(string message, int retryAfter = 1) => new(429, "TooManyRequests", message, retryAfterSeconds: retryAfter);

    public static ApiException Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}", causes: [new StatusCause("UnexpectedServerResponse", message, null)]);

    public static ApiException ServiceUnavailable(string message) => new(503, "ServiceUnavailable", message);
}
