/**
 * Near-misses of the bot's command words ("exprot data for adele", "hlep", "whoamii"): corrected when one word
 * is close enough to a command word that nothing else is meant. Pure; the router decides what to do with it.
 */

/** Edit distance with adjacent transpositions (optimal string alignment): "exprot" is 1 from "export". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The words commands start with or contain, that a typo may stand for. */
const COMMAND_WORDS = [
  'export',
  'data',
  'personal',
  'help',
  'whoami',
  'gdpr',
  'ccpa',
  'use',
  'channel',
  'approvals',
  'status',
  'requests',
  'open',
  'audit',
  'report',
  'hold',
  'release',
];

/** No command word is longer than this, give or take a typo. */
const MAX_WORD = 12;

/** How far a typed word may be from a command word: short words must be nearly exact. */
const tolerance = (word: string) => (word.length <= 4 ? 1 : 2);

function closestWord(word: string): string | undefined {
  if (COMMAND_WORDS.includes(word)) return word;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of COMMAND_WORDS) {
    const distance = editDistance(word, candidate);
    if (distance <= tolerance(candidate) && distance < (best?.distance ?? Infinity))
      best = { word: candidate, distance };
  }
  return best?.word;
}

/**
 * The message with its first words (at most three) corrected to command words where they are near misses,
 * or undefined when nothing was corrected. The rest (a person's name) is never touched.
 */
export function correctCommandWords(text: string): string | undefined {
  // Only the first words can be command words: never split or scan the rest of a long message.
  const words = text.trim().slice(0, 200).split(/\s+/);
  const rest = text.trim().slice(200);
  let changed = false;
  const corrected = words.map((word, i) => {
    if (i >= 3) return word;
    const lower = word.toLowerCase();
    // Names, addresses and mentions are not command words; nor is anything far longer than one (and a long
    // word would cost the distance table its length times the command word's).
    if (/[@<>'’]/.test(lower) || lower.length < 3 || lower.length > MAX_WORD) return word;
    const close = closestWord(lower);
    if (!close || close === lower) return word;
    changed = true;
    return close;
  });
  return changed ? corrected.join(' ') + rest : undefined;
}
