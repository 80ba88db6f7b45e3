// wasi:random — random, insecure, insecure-seed — from the backend's
// platform (crypto.getRandomValues in Node and browsers; a simulated OS may
// seed it for reproducible runs).

import { ContextCore } from "./context.js";

/** crypto.getRandomValues fills at most 65536 bytes per call. */
const CHUNK = 65536;
/** The most bytes one call hands out (a guest asking for more gets this many, as the WIT allows). */
const MAX_BYTES = 1 << 24;

function bytes(c: ContextCore, len: bigint): Uint8Array {
  const n = len > BigInt(MAX_BYTES) ? MAX_BYTES : Number(len);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += CHUNK) c.platform.random(out.subarray(i, Math.min(n, i + CHUNK)));
  return out;
}

function u64(c: ContextCore): bigint {
  const b = new BigUint64Array(1);
  c.platform.random(new Uint8Array(b.buffer));
  return b[0]!;
}

/** The wasi:random namespaces for `ctx`, as jco imports them. */
export function randomInterfaces(ctx: () => ContextCore) {
  return {
    random: {
      getRandomBytes: (len: bigint): Uint8Array => bytes(ctx(), len),
      getRandomU64: (): bigint => u64(ctx()),
    },
    insecure: {
      getInsecureRandomBytes: (len: bigint): Uint8Array => bytes(ctx(), len),
      getInsecureRandomU64: (): bigint => u64(ctx()),
    },
    insecureSeed: {
      insecureSeed: (): [bigint, bigint] => [...ctx().insecureSeed],
    },
  };
}
