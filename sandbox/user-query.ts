import type { SandboxUser } from './demo-tenant';
import { graphError } from './http-answer';

/**
 * The query options Graph users are listed with, parsed as Graph parses them: `$select`, `$filter` (OData)
 * and `$search` (quoted clauses). What Graph would refuse is a 400 in Graph's shape, dated by `now`.
 */

/** `$select=a,b`: the fields asked for, or undefined for the default set. */
export function parseSelect(q: URLSearchParams): string[] | undefined {
  const s = q.get('$select');
  return s === null
    ? undefined
    : s
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
}

const FILTERABLE = ['id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail'] as const;
type Filterable = (typeof FILTERABLE)[number];
type Token =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'word'; readonly value: string }
  | { readonly kind: '(' | ')' | ',' };

const invalidFilter = (now: () => Date, filter: string, why: string) =>
  graphError(now(), 400, 'BadRequest', `Invalid filter clause: ${why} in '${filter}'.`);

/** OData tokens of a (URL-decoded) $filter: string literals with '' for a quote, words, ( ) and commas. */
function filterTokens(filter: string, now: () => Date): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c });
      i += 1;
    } else if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= filter.length) throw invalidFilter(now, filter, 'unterminated string literal');
        if (filter[i] === "'") {
          if (filter[i + 1] !== "'") break;
          value += "'";
          i += 2;
        } else {
          value += filter[i];
          i += 1;
        }
      }
      i += 1;
      tokens.push({ kind: 'string', value });
    } else {
      const m = /^[A-Za-z0-9_.$/-]+/.exec(filter.slice(i));
      if (!m) throw invalidFilter(now, filter, `unexpected '${c}' at position ${i}`);
      tokens.push({ kind: 'word', value: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/**
 * Parses a URL-decoded $filter as OData, as Graph does, for what the bot uses on users: `prop eq 'text'`
 * and `startswith(prop,'text')` on id, displayName, givenName, surname, userPrincipalName and mail
 * (case-insensitive), combined with `and`, `or` and parentheses. Anything else is a 400.
 */
export function filterPredicate(filter: string, now: () => Date): (u: SandboxUser) => boolean {
  const tokens = filterTokens(filter, now);
  let at = 0;
  const peek = () => tokens[at];
  const isWord = (t: Token | undefined, w: string): boolean =>
    t?.kind === 'word' && t.value.toLowerCase() === w;
  const expect = (kind: Token['kind']): Token => {
    const t = tokens[at];
    if (t?.kind !== kind) throw invalidFilter(now, filter, `expected '${kind}'`);
    at += 1;
    return t;
  };
  const property = (t: Token): Filterable => {
    const name = t.kind === 'word' ? t.value : '';
    const known = FILTERABLE.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!known) {
      throw graphError(
        now(),
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${name}' of resource 'User'.`,
      );
    }
    return known;
  };
  const literal = (): string => {
    const t = expect('string');
    return t.kind === 'string' ? t.value.toLowerCase() : '';
  };
  type Predicate = (u: SandboxUser) => boolean;
  const primary = (): Predicate => {
    const t = peek();
    if (t === undefined) throw invalidFilter(now, filter, 'unexpected end');
    if (t.kind === '(') {
      at += 1;
      const inner = orExpression();
      expect(')');
      return inner;
    }
    if (isWord(t, 'startswith')) {
      at += 1;
      expect('(');
      const prop = property(tokens[at++] ?? { kind: ',' });
      expect(',');
      const v = literal();
      expect(')');
      return (u) => u[prop].toLowerCase().startsWith(v);
    }
    const prop = property(t);
    at += 1;
    if (!isWord(peek(), 'eq')) throw invalidFilter(now, filter, `expected 'eq' after ${prop}`);
    at += 1;
    const v = literal();
    return (u) => u[prop].toLowerCase() === v;
  };
  const andExpression = (): Predicate => {
    const parts = [primary()];
    while (isWord(peek(), 'and')) {
      at += 1;
      parts.push(primary());
    }
    return (u) => parts.every((p) => p(u));
  };
  const orExpression = (): Predicate => {
    const parts = [andExpression()];
    while (isWord(peek(), 'or')) {
      at += 1;
      parts.push(andExpression());
    }
    return (u) => parts.some((p) => p(u));
  };
  const predicate = orExpression();
  if (at !== tokens.length) throw invalidFilter(now, filter, 'unexpected text after the expression');
  return predicate;
}

/**
 * `$search="displayName:adele"`: quoted `property:words` clauses joined with AND or OR (AND binds first);
 * a clause matches when every word starts a word of the property, as Graph's tokenized search. Anything
 * else is a 400, as Graph answers a $search it cannot parse.
 */
export function searchPredicate(search: string, now: () => Date): (u: SandboxUser) => boolean {
  const syntaxError = () =>
    graphError(
      now(),
      400,
      'Request_UnsupportedQuery',
      `Syntax error: '${search}' is not a valid $search clause.`,
    );
  const clause = /^\s*"([^":]+):([^"]*)"\s*/;
  const groups: { prop: string; words: string[] }[][] = [[]];
  let rest = search;
  for (;;) {
    const m = clause.exec(rest);
    if (!m) throw syntaxError();
    groups[groups.length - 1]!.push({ prop: m[1]!, words: m[2]!.toLowerCase().trim().split(/\s+/) });
    rest = rest.slice(m[0].length);
    if (rest === '') break;
    const op = /^(AND|OR)\s+/.exec(rest);
    if (!op) throw syntaxError();
    if (op[1] === 'OR') groups.push([]);
    rest = rest.slice(op[0].length);
  }
  const matches = (u: SandboxUser, { prop, words }: { prop: string; words: string[] }) => {
    const key = (['displayName', 'mail', 'userPrincipalName', 'givenName', 'surname'] as const).find(
      (k) => k.toLowerCase() === prop.toLowerCase(),
    );
    if (!key) return false;
    const own = u[key].toLowerCase().split(/[\s@._-]+/);
    return words.every((t) => own.some((w) => w.startsWith(t)));
  };
  return (u) => groups.some((group) => group.every((c) => matches(u, c)));
}
