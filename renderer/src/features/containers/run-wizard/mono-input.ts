// Input styles for what the user types as code (commands, paths, names): monospace in the box only, not the
// label. Never imports node:*, electron or backend code.
export const monoInput = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };
