// Argument schemas for storage pools and volumes, with the message a user sees next to the field. Shared by the
// backend (checks every call) and the Storage page and create wizard (check as the user types). Pure TypeScript plus zod.
import { z } from 'zod';

/** Letters, digits and . _ + -, starting with a letter or digit: safe in XML, file names and command lines. */
const objectNamePattern = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const objectNameMessage = 'Use letters, digits, ".", "_", "+" or "-", starting with a letter or digit.';

export const newPoolNameSchema = z.string().trim().min(1, 'Choose a storage pool.').max(64, 'Use at most 64 characters.').regex(objectNamePattern, objectNameMessage);

export const newVolumeNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the volume a name.')
  .max(128, 'Use at most 128 characters.')
  .regex(objectNamePattern, objectNameMessage);

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here.
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** An absolute host path without control characters or ".." steps (which would leave a pool's folder). */
export const hostPathSchema = z
  .string()
  .trim()
  .min(1, 'Give a path.')
  .max(4096, 'A path has at most 4096 characters.')
  .refine((value) => value.startsWith('/'), 'Use an absolute path, starting with "/".')
  .refine((value) => !controlCharacters.test(value), 'A path cannot contain control characters.')
  .refine((value) => !value.split('/').includes('..'), 'A path cannot contain "..".');

export const volumeFormatSchema = z.enum(['qcow2', 'raw']);

/** Volume sizes in bytes: at least 1 MiB, at most 64 TiB. */
export const volumeSizeBytesSchema = z
  .number({ error: 'Give a size.' })
  .int('Use a whole number of bytes.')
  .min(1024 * 1024, 'Use at least 1 MiB.')
  .max(64 * 1024 ** 4, 'Use at most 64 TiB.');
