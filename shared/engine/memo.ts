// Per-value memo tables for the hot path. Event streams repeat the same few values (hosts, paths, query names, tool
// arguments) millions of times: pure work on such a value — a regex test, a split — is done once per distinct value.
// A table that reaches its limit starts over, so memory stays bounded; the results never depend on the memo.

/** `compute` wrapped with a bounded memo table: it must be a pure function of its argument. */
export function memoized<V>(compute: (key: string) => V, limit = 10_000): (key: string) => V {
  const table = new Map<string, V>();
  return (key: string): V => {
    let value = table.get(key);
    if (value === undefined && !table.has(key)) {
      value = compute(key);
      if (table.size >= limit) table.clear();
      table.set(key, value);
    }
    return value as V;
  };
}
