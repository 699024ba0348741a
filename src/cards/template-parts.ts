/**
 * Shared pieces of card templates. A template names a part where it goes with an element `{ "$include":
 * "name" }` in an array (body or actions); `withParts` puts the part's elements there before the template is
 * expanded, so one render binds the whole card. Only static template JSON is put together here: data (and
 * so every text from a person) is bound by `renderCard` afterwards, never spliced into a template.
 */
export type TemplateParts = Readonly<Record<string, readonly unknown[]>>;

const includeOf = (node: unknown): string | undefined => {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  const name = (node as { $include?: unknown }).$include;
  return keys.length === 1 && typeof name === 'string' ? name : undefined;
};

/** `template` with every `{ "$include": name }` replaced by the elements of `parts[name]`; throws on an unknown name. */
export function withParts<T extends object>(template: T, parts: TemplateParts): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node))
      return node.flatMap((item) => {
        const name = includeOf(item);
        if (name === undefined) return [walk(item)];
        const part = parts[name];
        if (!part) throw new Error(`Card template includes an unknown part "${name}"`);
        return part.map(walk);
      });
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(template) as T;
}
