using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Berth.Spec;

/// <summary>
/// Finds the nulls a spec sent over the API holds where its types say a value is required (`"deploy": null`,
/// `"services": {"web": null}`): JSON lets a client write them, the compose loader never makes them. Read from the
/// records' nullable annotations, so a new property is checked without being listed. Each problem names its JSON path.
/// </summary>
public static class SpecNulls
{
    private const int MaxProblems = 20;

    /// <summary>Every required value that is null under <paramref name="root"/>, as "spec.services.web.deploy: null, …".</summary>
    public static IReadOnlyList<string> Find(object? root, string path)
    {
        var problems = new List<string>();
        if (root is null)
        {
            problems.Add($"{path}: null, but a value is required");
            return problems;
        }

        Walk(root, path, problems, new NullabilityInfoContext(), depth: 0);
        return problems;
    }

    private static void Walk(object value, string path, List<string> problems, NullabilityInfoContext context, int depth)
    {
        if (problems.Count >= MaxProblems || depth > 32)
        {
            return;
        }

        var type = value.GetType();
        if (value is string or JsonElement || type.IsPrimitive || type.IsEnum || !IsSpecType(type) && value is not IEnumerable)
        {
            return;
        }

        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                Child(entry.Value, $"{path}.{entry.Key}", NullableItems(type, 1), problems, context, depth);
            }

            return;
        }

        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                Child(item, $"{path}[{index++}]", NullableItems(type, 0), problems, context, depth);
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.CanRead))
        {
            var nullability = context.Create(property);
            var child = property.GetValue(value);
            var name = $"{path}.{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}";
            if (child is null)
            {
                if (!property.PropertyType.IsValueType && nullability.ReadState == NullabilityState.NotNull)
                {
                    problems.Add($"{name}: null, but a value is required");
                }

                continue;
            }

            Walk(child, name, problems, context, depth + 1);
        }
    }

    private static void Child(object? item, string path, bool nullable, List<string> problems, NullabilityInfoContext context, int depth)
    {
        if (item is null)
        {
            if (!nullable)
            {
                problems.Add($"{path}: null, but a value is required");
            }

            return;
        }

        Walk(item, path, problems, context, depth + 1);
    }

    /// <summary>Collections of the spec declare their items non-null unless the item type is a nullable value type.</summary>
    private static bool NullableItems(Type collection, int argument)
    {
        var arguments = collection.IsGenericType ? collection.GetGenericArguments() : [];
        return arguments.Length > argument && Nullable.GetUnderlyingType(arguments[argument]) is not null;
    }

    private static bool IsSpecType(Type type) => type.Namespace?.StartsWith("Berth.", StringComparison.Ordinal) == true;
}
