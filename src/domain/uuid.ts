// Ids come from users as well as from us (paths, tokens, client ids, cursors), in either case:
// PostgreSQL reads a uuid in either case too, so the pattern accepts both.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a UUID in its text form, which PostgreSQL can read as a uuid without an error. */
export const isUuid = (text: string): boolean => UUID.test(text);
