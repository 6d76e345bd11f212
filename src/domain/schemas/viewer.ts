import { z } from 'zod';
import { ROLES } from '../../vocabulary.ts';

export const Viewer = z
  .object({ sub: z.string(), org: z.string(), roles: z.array(z.enum(ROLES)) })
  .meta({ id: 'Viewer', description: 'The caller, as the bearer token names them.' });
