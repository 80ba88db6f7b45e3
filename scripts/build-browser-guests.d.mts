// Types of scripts/build-browser-guests.mjs (imported by test/wasi/differential.node.test.ts).

/** A tree manifest value: text, a directory (null), a symlink, or a binary file as base64. */
export type ManifestValue = string | null | { symlink: string } | { base64: string };

/** The directory `dir` (never followed through symlinks) as a tree manifest. */
export function treeManifest(dir: string): Record<string, ManifestValue>;

/** Writes build/guests/ from test/guests/preview1. */
export function buildBrowserGuests(options?: { root?: string }): { guests: number; copied: number; fixtures: number };
