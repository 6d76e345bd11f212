/** What stands in for a person's erased name and free text (GDPR art. 17): the tombstones erasure writes. */
export const ERASED_NAME = 'Erased person';
export const ERASED_TEXT = '[erased]';
