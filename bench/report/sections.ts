/** The section bench/matching/run.ts writes into RESULTS.md; a run of `npm run bench` keeps it. */
export const MATCHING_SECTION = '## Matching run (issue 15)';

const blockOf = (section: string) => (section.endsWith('\n\n') ? section : section.endsWith('\n') ? `${section}\n` : `${section}\n\n`);

/** The section of a RESULTS.md titled `title`, up to the next `## ` heading, or null. */
export function sectionOf(markdown: string, title: string): string | null {
  const start = markdown.indexOf(title);
  if (start < 0) return null;
  const next = markdown.indexOf('\n## ', start + title.length);
  return markdown.slice(start, next >= 0 ? next + 1 : undefined);
}

/** Replaces the section titled `title` of a RESULTS.md with `section`, or adds it before the webhook fan-out (at the end without one). */
export function spliceSection(markdown: string, title: string, section: string): string {
  const block = blockOf(section);
  const start = markdown.indexOf(title);
  if (start >= 0) {
    const next = markdown.indexOf('\n## ', start + title.length);
    return markdown.slice(0, start) + block + (next >= 0 ? markdown.slice(next + 1) : '');
  }
  const before = markdown.indexOf('## Webhook fan-out');
  return before >= 0 ? markdown.slice(0, before) + block + markdown.slice(before) : `${markdown}\n${block}`;
}
