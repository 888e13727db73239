// Awaits a call that must fail and returns its AppError, so a test can check the code, message and fix.
// For any test; imports only the shared error type.
import { AppError } from '@shared/errors';

export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
