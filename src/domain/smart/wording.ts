import porter2 from 'wink-porter2-stemmer';
/** Phrases that say "better" without saying how much; matched on word boundaries, any case. */
export const VAGUE_PHRASES = [
  'get better',
  'be better',
  'improve',
  'more',
  'do well',
  'learn stuff',
  'work on',
  'try harder',
  'be good',
  'get good',
] as const;

const VAGUE_PATTERN = new RegExp(`\\b(?:${VAGUE_PHRASES.map((phrase) => phrase.replace(/ /g, '\\s+')).join('|')})\\b`, 'i');

/** Words of four letters or more that carry no topic, so they never tie a relevance to an aspiration. */
const STOP_WORDS = new Set([
  'about', 'able', 'also', 'because', 'become', 'been', 'being', 'could', 'does', 'doing', 'from', 'goal',
  'have', 'help', 'helps', 'into', 'just', 'like', 'make', 'mentee', 'mentor', 'more', 'most', 'much',
  'need', 'over', 'really', 'should', 'some', 'than', 'that', 'their', 'them', 'then', 'there', 'these',
  'they', 'this', 'those', 'through', 'very', 'want', 'what', 'when', 'where', 'which', 'while', 'will',
  'with', 'would', 'your',
]);

const MIN_SIGNIFICANT_LETTERS = 4;

export function isBlank(text: string): boolean {
  return String(text).trim() === '';
}

export function countWords(text: string): number {
  return String(text).split(/\s+/).filter((word) => word !== '').length;
}

export function nonSpaceLength(text: string): number {
  return String(text).replace(/\s/g, '').length;
}

/** The first vague phrase in `text`, as written, or null. */
export function findVaguePhrase(text: string): string | null {
  return VAGUE_PATTERN.exec(String(text))?.[0] ?? null;
}

const STEMS_KEPT = 50_000;
const knownStems = new Map<string, string>();

/** porter2, remembered: a relationship screen stems the same goals' words on every read (3 % of its CPU). */
function stemOf(word: string): string {
  let stem = knownStems.get(word);
  if (stem === undefined) {
    if (knownStems.size >= STEMS_KEPT) knownStems.clear();
    stem = porter2(word);
    knownStems.set(word, stem);
  }
  return stem;
}

/**
 * The topic words of `text` by their Porter2 stem (first spelling kept): "promotion" and "promoted"
 * meet, "community" and "communicate" do not. The SMART check's relevance rule and matching share it.
 */
export function stemmedWords(text: string): Map<string, string> {
  const words = String(text).toLowerCase().match(/\p{L}+/gu) ?? [];
  const stems = new Map<string, string>();
  for (const word of words) {
    if (word.length < MIN_SIGNIFICANT_LETTERS || STOP_WORDS.has(word)) continue;
    const stem = stemOf(word);
    if (!stems.has(stem)) stems.set(stem, word);
  }
  return stems;
}

export function significantStems(text: string): Set<string> {
  return new Set(stemmedWords(text).keys());
}
