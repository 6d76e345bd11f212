import { z } from 'zod';

export const Id = z.uuid({ message: 'must be a UUID' }).meta({ example: '01938f5e-7b7a-7c3e-9a4b-2f1d8e6c5a10' });
export const IsoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' }).meta({ example: '2027-06-30' });
export const Timestamp = z.iso.datetime({ offset: true }).meta({ example: '2026-11-23T09:30:00.000Z' });

const NUL = /\u0000/;
const noNul = (text: z.ZodString) => text.refine((value) => !NUL.test(value), 'must not contain NUL characters');
export const shortText = (max = 200) => noNul(z.string().trim().min(1, 'must not be blank').max(max));
export const longText = (max = 4000) => noNul(z.string().max(max));

export const Version = z.number().int().min(1).meta({ description: 'Increments on every change; the ETag of the resource.' });

/** Query parameters of every list. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Items per page, 1–100.' }),
  cursor: z.string().max(200).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    })
    .meta({ id: `${name}Page` });

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
