/**
 * Trees as plain objects: how an embedder fills a simulated directory and
 * reads back what a guest left in it.
 *
 *     {
 *       "dir/a.txt": "text",              // a file (UTF-8), parents made as needed
 *       "dir/b.bin": new Uint8Array([1]), // a file (bytes, copied)
 *       "dir/sub/": null,                 // a directory (the trailing slash is optional)
 *       "link": { symlink: "dir/a.txt" }, // a symlink, target stored as given
 *     }
 *
 * This is embedder configuration, trusted: a symlink may have any target,
 * even absolute (a guest following it is refused with `notcapable`, which is
 * how a test builds the escapes a guest could not create itself). Keys are
 * relative paths of plain names: `.`/`..` components, absolute keys, NUL,
 * or a file where a directory is needed throw a TypeError.
 */
import { utf8Length } from './resolve.js';
import { addEntry } from './dir.js';
import type { Kernel } from './kernel.js';
import { DirNode, FileNode, type Inode, SymlinkNode } from './nodes.js';
import { writeAt } from './file.js';

/** What one path of a tree holds. */
export type TreeValue = string | Uint8Array | null | { readonly symlink: string };
/** Relative path → contents. */
export type Tree = Readonly<Record<string, TreeValue>>;

export interface SnapshotOptions {
  /** List every directory (`"a/": null`), not only empty ones (default false: non-empty ones are implied by their contents). */
  allDirs?: boolean;
  /** Files always as bytes (default false: as text when they are valid UTF-8, else bytes). */
  binary?: boolean;
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Add the contents of `tree` to directory `root`. Throws TypeError for a malformed tree (nothing is undone). */
export function buildTree(k: Kernel, root: DirNode, tree: Tree): void {
  for (const [key, value] of Object.entries(tree)) {
    const parts = key.split('/');
    const isDirKey = parts.length > 1 && parts[parts.length - 1] === '';
    if (isDirKey) parts.pop();
    if (key.length === 0 || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) {
      throw new TypeError(`tree: ${JSON.stringify(key)} is not a relative path of plain names`);
    }
    const name = parts.pop()!;
    let dir = root;
    for (const p of parts) dir = subdir(k, dir, p, key);
    if (value === null) {
      subdir(k, dir, name, key);
    } else if (isDirKey) {
      throw new TypeError(`tree: ${JSON.stringify(key)} ends with a slash, so its value must be null`);
    } else {
      if (dir.entries.has(name)) throw new TypeError(`tree: ${JSON.stringify(key)} is given twice`);
      addEntry(k, dir, name, makeNode(k, value, key));
    }
  }
}

function subdir(k: Kernel, dir: DirNode, name: string, key: string): DirNode {
  const e = dir.entries.get(name);
  if (e === undefined) {
    const d = new DirNode(k.ino(), k.now(), dir);
    addEntry(k, dir, name, d);
    return d;
  }
  if (!(e.node instanceof DirNode)) throw new TypeError(`tree: ${JSON.stringify(key)} needs ${JSON.stringify(name)} to be a directory`);
  return e.node;
}

function makeNode(k: Kernel, value: Exclude<TreeValue, null>, key: string): Inode {
  if (typeof value === 'string' || value instanceof Uint8Array) {
    const f = new FileNode(k.ino(), k.now());
    const bytes = typeof value === 'string' ? encoder.encode(value) : value;
    if (bytes.length !== 0 && writeAt(k, f, [bytes], 0) !== bytes.length) {
      throw new RangeError(`tree: ${JSON.stringify(key)} does not fit (maxFileSize / maxBytes)`);
    }
    return f;
  }
  if (typeof value === 'object' && typeof value.symlink === 'string' && value.symlink.length !== 0 && !value.symlink.includes('\0')) {
    return new SymlinkNode(k.ino(), k.now(), value.symlink, utf8Length(value.symlink));
  }
  throw new TypeError(`tree: ${JSON.stringify(key)} must be a string, a Uint8Array, null or { symlink: "target" }`);
}

/**
 * The contents of directory `root` as a tree (keys sorted): files as text
 * (valid UTF-8) or bytes (copies), symlinks as `{ symlink }`, empty
 * directories as `"name/": null`. Pipes and sockets cannot be in a
 * directory; nothing is skipped.
 */
export function snapshotTree(root: DirNode, options: SnapshotOptions = {}): Record<string, TreeValue> {
  const out: Record<string, TreeValue> = {};
  const walk = (dir: DirNode, prefix: string): void => {
    const names = [...dir.entries.keys()].sort();
    for (const name of names) {
      const n = dir.entries.get(name)!.node;
      const path = prefix + name;
      if (n instanceof DirNode) {
        if (options.allDirs || n.entries.size === 0) out[path + '/'] = null;
        walk(n, path + '/');
      } else if (n instanceof FileNode) {
        const bytes = n.data.slice(0, n.size);
        const full = bytes.length === n.size ? bytes : grow(bytes, n.size);
        out[path] = options.binary ? full : textOrBytes(full);
      } else if (n instanceof SymlinkNode) {
        out[path] = { symlink: n.target };
      }
    }
  };
  walk(root, '');
  const sorted: Record<string, TreeValue> = {};
  for (const key of Object.keys(out).sort()) sorted[key] = out[key]!;
  return sorted;
}

function grow(bytes: Uint8Array, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(bytes);
  return b;
}

function textOrBytes(bytes: Uint8Array): string | Uint8Array {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
}
