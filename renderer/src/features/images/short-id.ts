// An image or layer id as `docker images` shows it. Never imports node:*, electron or backend code.

/** The first 12 hex digits, without "sha256:". */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
