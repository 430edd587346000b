namespace Berth.Spec.Loading;

/// <summary>
/// Finds <c>depends_on</c> cycles (a → b → a), which compose refuses: no service of a cycle could start first.
/// Iterative, so a long chain of services cannot exhaust the stack.
/// </summary>
internal static class DependencyCycleFinder
{
    /// <summary>Each cycle once, as the services in dependency order, starting with the one written first.</summary>
    public static List<IReadOnlyList<string>> Find(IReadOnlyList<string> servicesInFileOrder, Func<string, IEnumerable<string>> dependenciesOf)
    {
        var order = servicesInFileOrder.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path; true: done
        var cycles = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in servicesInFileOrder)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var path = new List<string> { start };
            var pending = new Stack<IEnumerator<string>>();
            state[start] = false;
            pending.Push(Targets(start).GetEnumerator());
            while (pending.Count > 0)
            {
                var next = pending.Peek();
                if (!next.MoveNext())
                {
                    next.Dispose();
                    pending.Pop();
                    state[path[^1]] = true;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                var dependency = next.Current;
                if (!state.TryGetValue(dependency, out var done))
                {
                    state[dependency] = false;
                    path.Add(dependency);
                    pending.Push(Targets(dependency).GetEnumerator());
                }
                else if (!done)
                {
                    var cycle = path[path.IndexOf(dependency)..];
                    var first = cycle.IndexOf(cycle.MinBy(s => order[s])!);
                    var rotated = cycle[first..].Concat(cycle[..first]).ToList();
                    if (seen.Add(string.Join('\0', rotated)))
                    {
                        cycles.Add(rotated);
                    }
                }
            }
        }

        return cycles;

        // Only services of the file count (an undefined one is reported elsewhere); a self-dependency is too.
        IEnumerable<string> Targets(string service) =>
            dependenciesOf(service).Where(d => d != service && order.ContainsKey(d));
    }
}
