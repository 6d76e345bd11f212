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
const STEM_LENGTH = 5;

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

/** Crude stems of the topic words: first five letters, so "promotion" and "promoted" meet. */
export function significantStems(text: string): Set<string> {
  const words = String(text).toLowerCase().match(/\p{L}+/gu) ?? [];
  return new Set(
    words
      .filter((word) => word.length >= MIN_SIGNIFICANT_LETTERS && !STOP_WORDS.has(word))
      .map((word) => word.slice(0, STEM_LENGTH)),
  );
}
