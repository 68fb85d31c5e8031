using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.Patching;

/// <summary>Lists: merging by key, set unions, deletions, and the order of the result.</summary>
public sealed partial class StrategicMergePatch
{
    /// <summary>
    /// Merges when the field's strategy is <c>merge</c> (or for <c>$deleteFromPrimitiveList</c>), otherwise takes the
    /// patch's list as it is. <paramref name="original"/> holds detached elements and may be reused.
    /// </summary>
    private List<JsonNode?> MergeSliceHandler(
        List<JsonNode?> original, JsonArray patch, FieldSchema? field, string strategy, bool isDeleteList, SliceTrace? trace) =>
        strategy == MergeDirective || isDeleteList
            ? MergeSlice(original, patch, field, isDeleteList, trace)
            : TakeItems((JsonArray)patch.DeepClone());

    private List<JsonNode?> MergeSlice(List<JsonNode?> original, JsonArray patch, FieldSchema? field, bool isDeleteList, SliceTrace? trace)
    {
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        var mergeKey = MergeKey(field);
        var isMap = ElementsAreMaps(original, patch);
        List<JsonNode?> merged;
        List<JsonNode?> patchOrder;
        List<JsonNode?> serverOrder;
        if (!isMap)
        {
            if (isDeleteList)
            {
                var remove = patch.Select(GoValue.Key).ToHashSet(StringComparer.Ordinal);
                return original.Where(item => !remove.Contains(GoValue.Key(item))).ToList();
            }

            // A set union; the order comes from the patch and the original below.
            merged = Distinct(original.Concat(patch.Select(item => item?.DeepClone())));
            patchOrder = [.. patch];
            serverOrder = [.. original];
        }
        else
        {
            if (mergeKey.Length == 0)
            {
                throw ServerError($"cannot merge lists without merge key for {ElementKindName(field)}");
            }

            var (replace, elements) = ApplySpecialElements(original, patch, mergeKey, trace);
            if (replace)
            {
                // The list becomes the patch's other elements, as they are.
                original = [.. elements.Select(e => (JsonNode?)e.DeepClone())];
                elements = [];
                trace?.Replace();
            }

            serverOrder = [.. original];
            merged = original;
            var elementSchema = Element(field);
            foreach (var element in elements)
            {
                if (!element.TryGetPropertyValue(mergeKey, out var keyValue))
                {
                    throw NoMergeKey(element, mergeKey);
                }

                var index = merged.FindIndex(item => item is JsonObject o && o.TryGetPropertyValue(mergeKey, out var v) && GoValue.Equal(v, keyValue));
                if (index >= 0)
                {
                    merged[index] = MergeMap((JsonObject)merged[index]!, element, elementSchema);
                }
                else
                {
                    // A new element is taken as the patch has it (upstream does not clean it).
                    var copy = element.DeepClone();
                    merged.Add(copy);
                    trace?.Append(copy);
                }
            }

            patchOrder = [.. elements];
        }

        var (patchItems, serverOnly) = Partition(merged, patchOrder, mergeKey);
        return NormalizeElementOrder(patchItems, serverOnly, patchOrder, serverOrder, mergeKey, isMap);
    }

    /// <summary>
    /// Handles the elements that carry <c>$patch</c>: deletions by merge key (every match), and <c>replace</c>.
    /// Returns whether the list is replaced and the elements left to merge.
    /// </summary>
    private static (bool Replace, List<JsonObject> Elements) ApplySpecialElements(
        List<JsonNode?> original, JsonArray patch, string mergeKey, SliceTrace? trace)
    {
        var replace = false;
        var elements = new List<JsonObject>();
        foreach (var item in patch)
        {
            var element = (JsonObject)item!;
            if (!element.TryGetPropertyValue(PatchDirective, out var directive))
            {
                elements.Add(element);
            }
            else if (IsString(directive, DeleteDirective))
            {
                if (!element.TryGetPropertyValue(mergeKey, out var keyValue))
                {
                    throw NoMergeKey(element, mergeKey);
                }

                int index;
                while ((index = original.FindIndex(e => e is JsonObject o && o.TryGetPropertyValue(mergeKey, out var v) && GoValue.Equal(v, keyValue))) >= 0)
                {
                    original.RemoveAt(index);
                    trace?.Delete(index);
                }
            }
            else if (IsString(directive, ReplaceDirective))
            {
                replace = true;
            }
            else if (IsString(directive, MergeDirective))
            {
                throw ServerError("merging lists cannot yet be specified in the patch");
            }
            else
            {
                throw BadPatchType(directive, element);
            }
        }

        return (replace, elements);
    }

    /// <summary>
    /// <c>$setElementOrder/&lt;list&gt;</c>: merges the list with the patch's list (if any), then orders the elements the
    /// directive names as it names them; the others keep their places relative to them.
    /// </summary>
    private void ApplySetElementOrder(JsonObject original, JsonObject patch, string key, JsonNode? value, Node schema, HashSet<string> consumed)
    {
        consumed.Add(key);
        if (value is not JsonArray order)
        {
            throw BadArgType(SliceType, value);
        }

        var listKey = ExtractKey(key, SetElementOrderPrefix, SetElementOrderFormat);
        var foundOriginal = original.TryGetPropertyValue(listKey, out var originalNode);
        if (foundOriginal && originalNode is not JsonArray)
        {
            throw BadArgType(SliceType, originalNode);
        }

        var foundPatch = patch.TryGetPropertyValue(listKey, out var patchNode);
        if (foundPatch && patchNode is not JsonArray)
        {
            throw BadArgType(SliceType, patchNode);
        }

        var field = schema.Lookup(listKey);
        var (_, strategy) = Strategies(field);
        var mergeKey = MergeKey(field);
        var patchList = (JsonArray?)patchNode;
        ValidateOrder(patchList, order, mergeKey);

        List<JsonNode?> originalItems;
        List<JsonNode?> merged;
        List<JsonNode?> serverOrder;
        switch (foundOriginal, foundPatch)
        {
            case (true, false):
                originalItems = TakeItems((JsonArray)originalNode!);
                merged = [.. originalItems];
                serverOrder = originalItems;
                break;
            case (false, true):
                originalItems = [];
                var copy = patchList!.DeepClone();
                RemoveDirectives(copy, out _);
                merged = TakeItems((JsonArray)copy);
                serverOrder = [];
                break;
            case (true, true):
            {
                originalItems = TakeItems((JsonArray)originalNode!);
                var trace = new SliceTrace(originalItems);
                merged = MergeSliceHandler([.. originalItems], patchList!, field, strategy, isDeleteList: false, trace);
                serverOrder = strategy == MergeDirective ? trace.ServerOrder() : originalItems;
                break;
            }

            default:
                return;
        }

        var (patchItems, serverOnly) = Partition(merged, [.. order], mergeKey);
        var isMap = ElementsAreMaps(originalItems, patchList ?? []);
        var result = NormalizeElementOrder(patchItems, serverOnly, [.. order], serverOrder, mergeKey, isMap);
        Put(original, listKey, new JsonArray([.. result]));
        consumed.Add(listKey);
    }

    /// <summary>Every element the patch merges must appear in <c>$setElementOrder</c>, in the same relative order.</summary>
    private static void ValidateOrder(JsonArray? patchList, JsonArray order, string mergeKey)
    {
        if (order.Count == 0 || patchList is null || patchList.Count == 0)
        {
            return;
        }

        var merging = new List<JsonNode?>();
        foreach (var item in patchList)
        {
            if (mergeKey.Length == 0)
            {
                merging.Add(item);
            }
            else if (item is not JsonObject element)
            {
                throw BadArgType(MapType, item);
            }
            else if (!IsString(element[PatchDirective], DeleteDirective))
            {
                merging.Add(element);
            }
        }

        int p = 0, s = 0;
        while (p < merging.Count && s < order.Count)
        {
            if (merging[p] is JsonObject o && o.ContainsKey(PatchDirective))
            {
                p++;
                continue;
            }

            if (MergeKeyValueEqual(merging[p], order[s], mergeKey))
            {
                p++;
            }

            s++;
        }

        if (p < merging.Count && s >= order.Count)
        {
            throw ServerError($"The order in patch list:\n{GoValue.V(patchList)}\n doesn't match {SetElementOrderPrefix} list:\n{GoValue.V(order)}\n");
        }
    }

    private static bool MergeKeyValueEqual(JsonNode? left, JsonNode? right, string mergeKey)
    {
        if (mergeKey.Length == 0)
        {
            return GoValue.Equal(left, right);
        }

        var l = left as JsonObject ?? throw BadArgType(MapType, left);
        var r = right as JsonObject ?? throw BadArgType(MapType, right);
        if (!l.TryGetPropertyValue(mergeKey, out var lv))
        {
            throw NoMergeKey(l, mergeKey);
        }

        return r.TryGetPropertyValue(mergeKey, out var rv) ? GoValue.Equal(lv, rv) : throw NoMergeKey(r, mergeKey);
    }

    /// <summary>Splits <paramref name="items"/> into those present in <paramref name="by"/> (by merge key or value) and the rest.</summary>
    private static (List<JsonNode?> Present, List<JsonNode?> Absent) Partition(List<JsonNode?> items, List<JsonNode?> by, string mergeKey)
    {
        var present = new List<JsonNode?>();
        var absent = new List<JsonNode?>();
        if (mergeKey.Length == 0)
        {
            // Upstream keys a Go map with the values themselves, which maps and lists cannot be.
            if (by.Concat(items).FirstOrDefault(v => v is JsonObject or JsonArray) is { } unhashable)
            {
                throw ServerError($"runtime error: hash of unhashable type {GoValue.TypeName(unhashable)}");
            }

            var keys = by.Select(GoValue.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var item in items)
            {
                (keys.Contains(GoValue.Key(item)) ? present : absent).Add(item);
            }

            return (present, absent);
        }

        foreach (var item in items)
        {
            var element = item as JsonObject ?? throw BadArgType(MapType, item);
            if (!element.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw NoMergeKey(element, mergeKey);
            }

            var found = false;
            for (var i = 0; i < by.Count && !found; i++)
            {
                var candidate = by[i] as JsonObject ?? throw ServerError($"value for key {i} is not a map.");
                found = candidate.TryGetPropertyValue(mergeKey, out var v) && GoValue.Equal(v, keyValue);
            }

            (found ? present : absent).Add(item);
        }

        return (present, absent);
    }

    /// <summary>
    /// Sorts the patch's elements by <paramref name="patchOrder"/> and the others by <paramref name="serverOrder"/>,
    /// then interleaves them: an element of the others goes first only when both are in <paramref name="serverOrder"/>
    /// and it comes earlier there.
    /// </summary>
    private static List<JsonNode?> NormalizeElementOrder(
        List<JsonNode?> patchItems, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string mergeKey, bool isMap)
    {
        var right = SortByOrder(patchItems, patchOrder, mergeKey, isMap);
        var left = SortByOrder(serverOnly, serverOrder, mergeKey, isMap);
        var positions = Positions(serverOrder, mergeKey, isMap);
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            var li = positions.GetValueOrDefault(OrderKey(left[i], mergeKey, isMap), -1);
            var ri = positions.GetValueOrDefault(OrderKey(right[j], mergeKey, isMap), -1);
            result.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
        }

        result.AddRange(left.Skip(i));
        result.AddRange(right.Skip(j));
        return result;
    }

    private static List<JsonNode?> SortByOrder(List<JsonNode?> items, List<JsonNode?> order, string mergeKey, bool isMap)
    {
        var deletions = new List<JsonNode?>();
        if (isMap)
        {
            foreach (var item in items.Concat(order))
            {
                var element = item as JsonObject ?? throw BadArgType(MapType, item);
                if (!element.ContainsKey(mergeKey))
                {
                    throw NoMergeKey(element, mergeKey);
                }
            }

            deletions = items.Where(i => IsString(i![PatchDirective], DeleteDirective)).ToList();
            items = items.Where(i => !IsString(i![PatchDirective], DeleteDirective)).ToList();
        }

        var positions = Positions(order, mergeKey, isMap);
        return items
            .Select((item, index) => (Item: item, Index: index, Position: positions.GetValueOrDefault(OrderKey(item, mergeKey, isMap), int.MaxValue)))
            .OrderBy(t => t.Position)
            .ThenBy(t => t.Index)
            .Select(t => t.Item)
            .Concat(deletions)
            .ToList();
    }

    /// <summary>The first position of each merge key (or value) in <paramref name="order"/>.</summary>
    private static Dictionary<string, int> Positions(List<JsonNode?> order, string mergeKey, bool isMap)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < order.Count; i++)
        {
            positions.TryAdd(OrderKey(order[i], mergeKey, isMap), i);
        }

        return positions;
    }

    private static string OrderKey(JsonNode? item, string mergeKey, bool isMap) =>
        GoValue.Key(isMap ? (item is JsonObject o ? o[mergeKey] : null) : item);

    /// <summary>
    /// Whether the lists hold maps, after upstream's checks: one element type throughout, and no lists of lists.
    /// </summary>
    private static bool ElementsAreMaps(List<JsonNode?> original, IEnumerable<JsonNode?> patch)
    {
        var patchItems = patch.ToList();
        GoValue.GoType? first = null;
        foreach (var item in original.Concat(patchItems))
        {
            var type = GoValue.TypeOf(item);
            if (first is null)
            {
                first = type;
                if (type == GoValue.GoType.Slice)
                {
                    throw NoListOfLists();
                }
            }
            else if (type != first)
            {
                throw ServerError($"list element types are not identical: {GoValue.Lists([original, patchItems])}");
            }
        }

        return first switch
        {
            null => throw ServerError("no elements in any of the given slices"),
            GoValue.GoType.Map => true,
            _ => false,
        };
    }

    private static List<JsonNode?> Distinct(IEnumerable<JsonNode?> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return items.Where(item => seen.Add(GoValue.Key(item))).ToList();
    }

    /// <summary>
    /// What a merge did to the original list, to reproduce the order upstream computes after a
    /// <c>$setElementOrder</c> merge. Upstream deletes elements by shifting the original list's backing array and then
    /// appends new elements into the freed slots, so the "original order" it consults afterwards lists the survivors
    /// followed by as many new elements as were deleted. This decides where elements the directive does not name land.
    /// </summary>
    private sealed class SliceTrace(List<JsonNode?> original)
    {
        private readonly List<int> _deleted = [];
        private readonly List<JsonNode?> _appended = [];
        private bool _replaced;

        public void Delete(int index) => _deleted.Add(index);

        public void Append(JsonNode? item) => _appended.Add(item);

        public void Replace() => _replaced = true;

        public List<JsonNode?> ServerOrder()
        {
            var backing = original.ToArray();
            var length = backing.Length;
            foreach (var index in _deleted)
            {
                Array.Copy(backing, index + 1, backing, index, length - index - 1);
                length--;
            }

            if (!_replaced)
            {
                foreach (var item in _appended)
                {
                    if (length >= backing.Length)
                    {
                        break;
                    }

                    backing[length++] = item;
                }
            }

            return [.. backing];
        }
    }
}
