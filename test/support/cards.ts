// The Adaptive Cards SDK's UMD build parses and validates cards in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new (version?: unknown) => {
    eventCount: number;
    getEventAt(i: number): { message: string };
  };
  Versions: Record<string, unknown>;
};

export const MAX_CARD_BYTES = 28 * 1024;

/**
 * Problems the Adaptive Cards parser finds in a card (unknown elements, invalid properties, a schema version
 * above what Teams renders), plus a size over 28 KB. Empty when the card is valid.
 */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(card);
  if (Buffer.byteLength(json) > MAX_CARD_BYTES)
    problems.push(`card is ${Buffer.byteLength(json)} bytes (max ${MAX_CARD_BYTES})`);
  const c = card as { type?: unknown; version?: unknown };
  if (c.type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  if (typeof c.version !== 'string' || Number(c.version) > 1.5)
    problems.push(`version ${String(c.version)} is above 1.5`);
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

/** Every text in a card, flattened, for assertions on what a person reads. */
export function cardText(card: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') texts.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return texts.join('\n');
}
