using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.Patching;

/// <summary>
/// JSON Patch (RFC 6902) as kube-apiserver applies it (evanphx/json-patch v4): add, remove, replace, move, copy and
/// test on JSON Pointer paths, with that library's error messages, which are what kubectl users see.
/// </summary>
/// <remarks>
/// <para>Behaviour kept from upstream, where it differs from a strict reading of the RFC: <c>replace</c> of a missing
/// object member adds it; a missing <c>value</c> counts as <c>null</c>; negative array indices count from the end
/// (<c>-1</c> in <c>add</c> appends); <c>copy</c> from a missing member copies <c>null</c>; <c>test</c> with
/// <c>null</c> passes on a missing member; the whole document (path <c>""</c>) can only be replaced or tested; a path
/// without a leading <c>/</c> is not found, and its first segment is otherwise ignored (<c>a/b</c> acts as <c>/b</c>).</para>
/// <para>Deliberate differences: <c>test</c> compares numbers by value and strings by content (upstream compares
/// encoded bytes, so <c>1</c> ≠ <c>1.0</c>); inputs that make upstream panic fail with a message instead.</para>
/// <para>Errors: a patch that is not a list of objects is <see cref="PatchErrorKind.Malformed"/> (400); every
/// failure while applying is <see cref="PatchErrorKind.Unprocessable"/> (422). The API server also refuses more than
/// <see cref="MaxOperations"/> operations (413); that check is the caller's.</para>
/// <para>The patch is never modified. The document may be modified in place; the result is returned (a different
/// node when the whole document was replaced).</para>
/// </remarks>
public static class JsonPatch
{
    /// <summary>Upstream's limit on operations in one JSON Patch (answered with 413 RequestEntityTooLarge).</summary>
    public const int MaxOperations = 10000;

    private const string Missing = "missing value";
    private const string InvalidIndex = "invalid index referenced";

    /// <summary>Applies a decoded patch body: <c>null</c> is an empty patch; anything but a list is malformed.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch) => patch switch
    {
        null => document,
        JsonArray operations => Apply(document, operations),
        _ => throw new PatchException(
            $"json: cannot unmarshal {GoValue.JsonTypeName(patch)} into Go value of type jsonpatch.Patch", PatchErrorKind.Malformed),
    };

    /// <summary>Applies the operations in order; the first failing one aborts the patch.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        foreach (var item in operations)
        {
            if (item is not null and not JsonObject)
            {
                throw new PatchException(
                    $"json: cannot unmarshal {GoValue.JsonTypeName(item)} into Go value of type jsonpatch.Operation", PatchErrorKind.Malformed);
            }
        }

        var root = document;
        foreach (var item in operations)
        {
            var op = item as JsonObject ?? [];
            var kind = Kind(op);
            switch (kind)
            {
                case "add":
                    Add(root, op);
                    break;
                case "remove":
                    Remove(root, op);
                    break;
                case "replace":
                    root = Replace(root, op);
                    break;
                case "move":
                    Move(root, op);
                    break;
                case "test":
                    Test(root, op);
                    break;
                case "copy":
                    Copy(root, op);
                    break;
                default:
                    throw Fail($"Unexpected kind: {kind}");
            }
        }

        return root;
    }

    private static void Add(JsonNode? root, JsonObject op)
    {
        var path = Pointer(op, "path", out _) ?? throw Fail($"add operation failed to decode path: {Missing}");
        var (container, key) = FindObject(root, path);
        if (container is null)
        {
            throw Fail($"add operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }

        var error = ContainerAdd(container, key, Value(op));
        if (error is not null)
        {
            throw Fail($"error in add for path: '{path}': {error}");
        }
    }

    private static void Remove(JsonNode? root, JsonObject op)
    {
        var path = Pointer(op, "path", out _) ?? throw Fail($"remove operation failed to decode path: {Missing}");
        var (container, key) = FindObject(root, path);
        if (container is null)
        {
            throw Fail($"remove operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }

        var error = ContainerRemove(container, key, out _);
        if (error is not null)
        {
            throw Fail($"error in remove for path: '{path}': {error}");
        }
    }

    private static JsonNode? Replace(JsonNode? root, JsonObject op)
    {
        var path = Pointer(op, "path", out var decodeError) ?? throw Fail($"replace operation failed to decode path: {decodeError}");
        if (path.Length == 0)
        {
            // The whole document: only an object or a list may take its place.
            return Value(op) is JsonObject or JsonArray ? Value(op)
                : throw Fail("replace operation value must be object or array: %!w(<nil>)");
        }

        var (container, key) = FindObject(root, path);
        if (container is null)
        {
            throw Fail($"replace operation does not apply: doc is missing path: {path}: {Missing}");
        }

        if (container is JsonArray && ContainerGet(container, key, out _) is not null)
        {
            throw Fail($"replace operation does not apply: doc is missing key: {path}: {Missing}");
        }

        ContainerSet(container, key, Value(op));
        return root;
    }

    private static void Move(JsonNode? root, JsonObject op)
    {
        var from = Pointer(op, "from", out var fromError) ?? throw Fail($"move operation failed to decode from: {fromError}");
        var (source, sourceKey) = FindObject(root, from);
        if (source is null)
        {
            throw Fail($"move operation does not apply: doc is missing from path: {from}: {Missing}");
        }

        JsonNode? value = null;
        var error = ContainerGet(source, sourceKey, out _) ?? ContainerRemove(source, sourceKey, out value);
        if (error is not null)
        {
            throw Fail($"error in move for path: '{sourceKey}': {error}");
        }

        var path = Pointer(op, "path", out var pathError) ?? throw Fail($"move operation failed to decode path: {pathError}");
        var (container, key) = FindObject(root, path);
        if (container is null)
        {
            throw Fail($"move operation does not apply: doc is missing destination path: {path}: {Missing}");
        }

        error = ContainerAdd(container, key, value);
        if (error is not null)
        {
            throw Fail($"error in move for path: '{path}': {error}");
        }
    }

    private static void Test(JsonNode? root, JsonObject op)
    {
        var path = Pointer(op, "path", out var decodeError) ?? throw Fail($"test operation failed to decode path: {decodeError}");
        var hasValue = op.TryGetPropertyValue("value", out var expected);
        if (path.Length == 0)
        {
            if (hasValue && root is JsonObject or JsonArray && JsonEquality.Equal(root, expected))
            {
                return;
            }

            throw Fail($"testing value {path} failed: test failed");
        }

        var (container, key) = FindObject(root, path);
        if (container is null)
        {
            throw Fail($"test operation does not apply: is missing path: {path}: {Missing}");
        }

        var error = ContainerGet(container, key, out var actual);
        if (error is not null)
        {
            throw Fail($"error in test for path: '{path}': {error}");
        }

        // A missing or null member matches a missing or null value; anything else must be equal.
        var passed = actual is null ? expected is null : hasValue && expected is not null && JsonEquality.Equal(actual, expected);
        if (!passed)
        {
            throw Fail($"testing value {path} failed: test failed");
        }
    }

    private static void Copy(JsonNode? root, JsonObject op)
    {
        var from = Pointer(op, "from", out var fromError) ?? throw Fail($"copy operation failed to decode from: {fromError}");
        var (source, sourceKey) = FindObject(root, from);
        if (source is null)
        {
            throw Fail($"copy operation does not apply: doc is missing from path: {from}: {Missing}");
        }

        var error = ContainerGet(source, sourceKey, out var value);
        if (error is not null)
        {
            throw Fail($"error in copy for from: '{from}': {error}");
        }

        var path = Pointer(op, "path", out _) ?? throw Fail($"copy operation failed to decode path: {Missing}");
        var (container, key) = FindObject(root, path);
        if (container is null)
        {
            throw Fail($"copy operation does not apply: doc is missing destination path: {path}: {Missing}");
        }

        error = ContainerAdd(container, key, value?.DeepClone());
        if (error is not null)
        {
            throw Fail($"error while adding value during copy: {error}");
        }
    }

    /// <summary>The operation's kind; "unknown" when "op" is missing, null or not a string.</summary>
    private static string Kind(JsonObject op) =>
        op["op"] is JsonValue v && GoValue.TypeOf(v) == GoValue.GoType.String ? v.GetValue<string>() : "unknown";

    /// <summary>A "path" or "from" member; null with the decoding error when it is missing, null or not a string.</summary>
    private static string? Pointer(JsonObject op, string name, out string error)
    {
        if (!op.TryGetPropertyValue(name, out var node) || node is null)
        {
            error = name == "path" ? $"operation missing path field: {Missing}" : $"operation, missing from field: {Missing}";
            return null;
        }

        if (GoValue.TypeOf(node) != GoValue.GoType.String)
        {
            error = $"json: cannot unmarshal {GoValue.JsonTypeName(node)} into Go value of type string";
            return null;
        }

        error = "";
        return node.GetValue<string>();
    }

    /// <summary>A copy of the operation's "value" (JSON null when it is missing).</summary>
    private static JsonNode? Value(JsonObject op) => op["value"]?.DeepClone();

    /// <summary>
    /// The object or list that holds the last token of <paramref name="path"/>, and that token unescaped. Null when a
    /// segment on the way is missing, null, a scalar or a bad index, or when the path has no <c>/</c> at all.
    /// </summary>
    private static (JsonNode? Container, string Key) FindObject(JsonNode? root, string path)
    {
        var split = path.Split('/');
        if (split.Length < 2 || root is not (JsonObject or JsonArray))
        {
            return (null, "");
        }

        var current = root;
        for (var i = 1; i < split.Length - 1; i++)
        {
            var next = ContainerGet(current, Unescape(split[i]), out var child) is null ? child : null;
            if (next is not (JsonObject or JsonArray))
            {
                return (null, "");
            }

            current = next;
        }

        return (current, Unescape(split[^1]));
    }

    /// <summary>RFC 6901 unescaping in one left-to-right pass: <c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>.</summary>
    private static string Unescape(string token)
    {
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return token;
        }

        var sb = new StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && i + 1 < token.Length && token[i + 1] is '0' or '1')
            {
                sb.Append(token[i + 1] == '1' ? '/' : '~');
                i++;
            }
            else
            {
                sb.Append(token[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>Reads a member or element; an error only for a bad list index (a missing member reads as null).</summary>
    private static string? ContainerGet(JsonNode container, string key, out JsonNode? value)
    {
        value = null;
        if (container is JsonObject obj)
        {
            obj.TryGetPropertyValue(key, out value);
            return null;
        }

        var list = (JsonArray)container;
        var error = Index(key, list.Count, out var index);
        if (error is null)
        {
            value = list[(int)index];
        }

        return error;
    }

    private static void ContainerSet(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            obj[key] = value;
            return;
        }

        var list = (JsonArray)container;
        Index(key, list.Count, out var index);
        list[(int)index] = value;
    }

    private static string? ContainerAdd(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            obj[key] = value;
            return null;
        }

        var list = (JsonArray)container;
        if (key == "-")
        {
            list.Add(value);
            return null;
        }

        if (!TryAtoi(key, out var index, out var atoiError))
        {
            return $"value was not a proper array index: '{key}': {atoiError}";
        }

        var size = list.Count + 1;
        if (index >= size || index < -size)
        {
            return $"Unable to access invalid index: {index.ToString(CultureInfo.InvariantCulture)}: {InvalidIndex}";
        }

        list.Insert((int)(index < 0 ? index + size : index), value);
        return null;
    }

    private static string? ContainerRemove(JsonNode container, string key, out JsonNode? removed)
    {
        removed = null;
        if (container is JsonObject obj)
        {
            if (!obj.TryGetPropertyValue(key, out removed))
            {
                return $"Unable to remove nonexistent key: {key}: {Missing}";
            }

            obj.Remove(key);
            return null;
        }

        var list = (JsonArray)container;
        var error = Index(key, list.Count, out var index);
        if (error is not null)
        {
            return error;
        }

        removed = list[(int)index];
        list.RemoveAt((int)index);
        return null;
    }

    /// <summary>An existing list index, negative ones counting from the end; upstream's message when there is none.</summary>
    private static string? Index(string key, int count, out long index)
    {
        if (!TryAtoi(key, out index, out var error))
        {
            return error;
        }

        if (index >= count || index < -count)
        {
            return $"Unable to access invalid index: {index.ToString(CultureInfo.InvariantCulture)}: {InvalidIndex}";
        }

        if (index < 0)
        {
            index += count;
        }

        return null;
    }

    /// <summary>Go's strconv.Atoi: an optional sign and decimal digits, with its error messages.</summary>
    private static bool TryAtoi(string text, out long value, out string error)
    {
        value = 0;
        error = "";
        var digits = text.AsSpan();
        if (digits.Length > 0 && digits[0] is '+' or '-')
        {
            digits = digits[1..];
        }

        if (digits.Length == 0 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            error = $"strconv.Atoi: parsing {GoSyntax.Quote(text)}: invalid syntax";
            return false;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = $"strconv.Atoi: parsing {GoSyntax.Quote(text)}: value out of range";
            return false;
        }

        return true;
    }

    private static PatchException Fail(string message) => new(message, PatchErrorKind.Unprocessable);
}
