import {
  DESCRIPTION_FLAGS, ERROR_CODES, type ErrorCode, INDEX_BITS, INTEREST, KINDS, MAX_CAPACITY, POLICIES, RIGHTS, ROLES, STATES,
} from "./constants.js";

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

const KIND_NAMES = Object.keys(KINDS);
const POLLER_OPS = new Set(["register", "reregister", "deregister"]);

function kindName(kind: number): string {
  return KIND_NAMES[kind - 1] ?? `#${kind}`;
}

/** "a", "a or b", "a, b or c": the kinds whose bits are set in a check() kind mask. */
function kindList(mask: number): string {
  const names = KIND_NAMES.filter((_, i) => (mask >>> (i + 1)) & 1);
  if (names.length === 0) return "no kind";
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

const hex = (bits: number) => `0x${(bits >>> 0).toString(16)}`;
const union = (bits: Record<string, number>) => Object.values(bits).reduce((a, b) => a | b, 0);

/** Why an argument was refused, from the details each operation records (see assembly/table.ts). */
function invalidArgument(d: ErrorDetails, op: string, h: string): string {
  switch (op) {
    case "create":
      if (d.count === 0 || d.count > MAX_CAPACITY) return `capacity ${d.count} is outside 1..${MAX_CAPACITY}`;
      if (d.other > Math.max(...Object.values(POLICIES))) return `unknown numbering policy ${d.other}`;
      return `neverReuse must be 0 or 1, not ${d.reason}`;
    case "insert":
      if (d.count === 0 || d.count > KIND_NAMES.length) return `unknown kind (${d.count})`;
      if (d.other >= Object.keys(ROLES).length) return `unknown role (${d.other})`;
      return "rights, flags or host id out of range";
    case "register":
    case "reregister": {
      if (d.handle === d.other) return `poller ${h} cannot be registered with itself`;
      const unknown = d.count & ~union(INTEREST);
      return unknown ? `unknown interest bits ${hex(unknown)} for handle ${h}` : `empty interest for handle ${h}`;
    }
    case "set-flags":
      return `unknown description flags ${hex(d.count & ~union(DESCRIPTION_FLAGS))} for handle ${h}`;
    case "set-offset":
      return `negative offset for handle ${h}`;
    default:
      return `invalid argument to ${op}`;
  }
}

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
  // insert refuses its parent: "cannot make a child of handle 3 while …".
  const verb = op === "insert" ? "make a child of" : op;
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
      msg = POLLER_OPS.has(op)
        ? `handle ${h} is of kind ${kindName(d.count)}, not a poller`
        : `handle ${h} is of kind ${kindName(d.count)}; ${op} accepts only ${kindList(d.other)}`;
      break;
    case "lent":
      msg = d.reason === 1
        ? `cannot ${verb} handle ${h} while it is lent exclusively to borrow ${formatHandle(d.other)}`
        : `cannot ${verb} handle ${h} while it is lent to ${d.count} borrow${d.count === 1 ? "" : "s"}`;
      break;
    case "not-owner":
      msg = d.reason === 0x100
        ? `handle ${h} is a shared borrow; only an owner or an exclusive borrow can lend exclusively`
        : op === "insert" ? `handle ${h} is a borrow; only an owner can be a parent`
        : POLLER_OPS.has(op) ? `handle ${h} is a borrow; only an owner can be a poller`
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
      // transfer and renumber count a poller's registrations with its children.
      msg = `cannot ${op} handle ${h}: it has ${d.count} live child${d.count === 1 ? "" : "ren"}` +
        (op === "transfer" || op === "renumber" ? ` or poll registration${d.count === 1 ? "" : "s"}` : "");
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
      msg = invalidArgument(d, op, h);
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
