namespace Korral.Api.Validation.Structure;

/// <summary>
/// A value whose JSON type does not fit the schema, as upstream's decoder reports it for built-in kinds, e.g.
/// <c>json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32</c>.
/// </summary>
/// <param name="Field">Where it is, with indices: <c>spec.template.spec.containers[0].env[1].value</c>.</param>
/// <param name="Message">The decoder's message.</param>
public sealed record DecodeError(string Field, string Message);
