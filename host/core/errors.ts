import { ERROR_CODES, type ErrorCode, INDEX_BITS, RIGHTS, STATES } from "./constants.js";

/**
 * The one error class of iolife/core. `code` is from the closed enum
 * ERROR_CODES; the message names the handle and the reason. Thrown for a
 * refused operation (a caller's contract violation), never for a host bug.
 */
export class IolifeError extends Error {
  /** Which rule refused the operation. */
  readonly code: ErrorCode;
  /** The handle the error is about (0 when none). */
  readonly handle: number;
  /** The operation that was refused. */
  readonly operation: string;

  constructor(code: ErrorCode, message: string, handle: number, operation: string) {
    super(message);
    this.name = "IolifeError";
    this.code = code;
    this.handle = handle;
    this.operation = operation;
  }
}

/** How a handle is printed: decimal while its generation is 0, else hex with all 8 digits. */
export function formatHandle(h: number): string {
  h >>>= 0;
  return h >>> INDEX_BITS === 0 ? String(h) : "0x" + h.toString(16).padStart(8, "0");
}

const ENDINGS: Record<string, string> = {
  closed: "closed",
  released: "released",
  revoked: "revoked when its scope ended",
  transferred: "transferred to another table",
  renumbered: "renumbered onto another handle",
  "not-inherited": "a borrow, and borrows are not inherited by fork",
};

function rightNames(bits: number): string {
  const names = Object.entries(RIGHTS).filter(([, bit]) => (bits & bit) !== 0).map(([n]) => n);
  return names.length ? names.join(", ") : `0x${(bits >>> 0).toString(16)}`;
}

/** The error details the core wrote at err_ptr(): handle, slot, count, other, reason. */
export interface ErrorDetails {
  handle: number;
  slot: number;
  count: number;
  other: number;
  reason: number;
}

/** Builds the error for core code `code` (1-based) refused in `op`. */
export function coreError(code: number, d: ErrorDetails, op: string): IolifeError {
  const name = ERROR_CODES[code - 1];
  if (name === undefined) throw new Error(`iolife core returned unknown error code ${code} from ${op}`);
  const h = formatHandle(d.handle);
  const ending = ENDINGS[STATES[d.reason] ?? ""] ?? "closed";
  let msg: string;
  switch (name) {
    case "unknown-handle":
      msg = d.handle === 0 ? "0 is the 'none' niche, never a handle"
        : d.handle >>> 0 === 0xffff_ffff ? "0xffffffff is the invalid sentinel, never a handle"
        : `handle ${h} was never issued by this table`;
      break;
    case "stale-handle":
      msg = `handle ${h} is stale (slot ${d.slot} was reused; it is at generation ${d.other} now)`;
      break;
    case "closed":
      msg = `handle ${h} was ${ending}: use after close`;
      break;
    case "double-close":
      msg = `handle ${h} was already ${ending}`;
      break;
    case "wrong-kind":
      msg = `handle ${h} is of kind ${d.count}, which ${op} does not accept`;
      break;
    case "lent":
      msg = d.reason === 1
        ? `cannot ${op} handle ${h} while it is lent exclusively to borrow ${formatHandle(d.other)}`
        : `cannot ${op} handle ${h} while it is lent to ${d.count} borrow${d.count === 1 ? "" : "s"}`;
      break;
    case "not-owner":
      msg = d.reason === 0x100
        ? `handle ${h} is a shared borrow; only an owner or an exclusive borrow can lend exclusively`
        : `handle ${h} is a borrow; only its owner can ${op} it`;
      break;
    case "not-borrow":
      msg = `handle ${h} is an owner, not a borrow: close it rather than release it`;
      break;
    case "scope-ended":
      msg = `borrow ${h} was used after its scope ended`;
      break;
    case "scope-has-borrows":
      msg = `scope ${d.other} ended with ${d.count} live borrow${d.count === 1 ? "" : "s"}; they have been revoked`;
      break;
    case "scope-invalid":
      msg = d.reason === 1 && d.handle !== 0
        ? `a borrow of handle ${h} in that scope would outlive its lender's scope`
        : d.handle !== 0 ? `scope ${d.other} is not a live scope (borrow of handle ${h})`
        : `scope ${d.other} is not the innermost live scope`;
      break;
    case "rights":
      msg = d.reason === 1
        ? `cannot widen the rights of handle ${h} (would add ${rightNames(d.count)})`
        : `handle ${h} lacks the right${d.count & (d.count - 1) ? "s" : ""} ${rightNames(d.count)} for ${op}`;
      break;
    case "has-children":
      msg = `cannot ${op} handle ${h}: it has ${d.count} live child${d.count === 1 ? "" : "ren"}`;
      break;
    case "has-parent":
      msg = `cannot ${op} handle ${h}: it is a child of handle ${formatHandle(d.other)}`;
      break;
    case "already-registered":
      msg = `handle ${h} is already registered with poller ${formatHandle(d.other)}`;
      break;
    case "not-registered":
      msg = `handle ${h} is not registered with any poller`;
      break;
    case "wrong-poller":
      msg = `handle ${h} is registered with poller ${formatHandle(d.other)}, not ${formatHandle(d.reason)}`;
      break;
    case "full":
      msg = d.reason === 2 ? `too many nested scopes (at most ${d.count})`
        : d.reason === 1 ? `too many tables (at most ${d.count})`
        : `table full: all ${d.count} slots are in use`;
      break;
    case "invalid-argument":
      msg = `invalid argument to ${op}`;
      break;
    case "table-closed":
      msg = `table ${formatHandle(d.handle)} is closed (its last sharer let it go)`;
      break;
    default: {
      const unreachable: never = name;
      throw new Error(`unhandled error code ${String(unreachable)}`);
    }
  }
  return new IolifeError(name, `${op}: ${msg}`, d.handle >>> 0, op);
}
