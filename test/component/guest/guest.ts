// A guest component in AssemblyScript that imports iolife:core/handles
// (guest.wit) through the Canonical ABI. Every export makes its own table
// (`[constructor]table`), does its steps, drops the table
// (`[resource-drop]table`, which runs the core's destructor) and returns
// the core's answer to its last step unchanged.
//
// Imported functions whose result does not fit one i32 take a retptr as
// their last parameter: the core's answer is written there (result:
// discriminant u8 @0, payload @4, or @1 for result<_, E>). The exports
// return a pointer to RET, laid out the same way.

// @ts-ignore: decorator
@external("iolife:core/handles@0.1.0", "[constructor]table")
declare function tableNew(capacity: u32): u32;
// @ts-ignore: decorator
@external("iolife:core/handles@0.1.0", "[resource-drop]table")
declare function tableDrop(table: u32): void;
// insert(kind, role, rights, description-flags, cloexec, host, parent: option<handle>)
// @ts-ignore: decorator
@external("iolife:core/handles@0.1.0", "[method]table.insert")
declare function insert(table: u32, kind: u32, role: u32, rights: u32, dflags: u32, cloexec: u32,
                        host: u32, parentDisc: u32, parent: u32, ret: usize): void;
// close(h) -> result<option<u32>, error-code>
// @ts-ignore: decorator
@external("iolife:core/handles@0.1.0", "[method]table.close")
declare function close(table: u32, h: u32, ret: usize): void;
// check(h, rights, kinds) -> result<u32, error-code>
// @ts-ignore: decorator
@external("iolife:core/handles@0.1.0", "[method]table.check")
declare function check(table: u32, h: u32, rights: u32, kinds: u32, ret: usize): void;
// borrow(h, exclusive, rights: option<rights>, scope: option<scope>) -> result<handle, error-code>
// @ts-ignore: decorator
@external("iolife:core/handles@0.1.0", "[method]table.borrow")
declare function borrow(table: u32, h: u32, exclusive: u32, rightsDisc: u32, rights: u32,
                        scopeDisc: u32, scope: u32, ret: usize): void;

const KIND_FILE: u32 = 0;   // kind::file
const ROLE_REGULAR: u32 = 0;
const READ: u32 = 1 << 1;   // rights::read
const RIGHTS: u32 = (1 << 30) - 1;

const ANSWER: usize = memory.data(16, 4); // the core writes its answers here
const RET: usize = memory.data(16, 4);    // what the guest returns

/** A new file in `t` (host id `host`); traps if the core refuses, which these steps never expect. */
function file(t: u32, host: u32): u32 {
  insert(t, KIND_FILE, ROLE_REGULAR, RIGHTS, 0, 0, host, 0, 0, ANSWER);
  if (load<u8>(ANSWER) != 0) unreachable();
  return load<u32>(ANSWER, 4);
}

/** Copies the core's result<u32, error-code> answer to RET. */
function answerWord(): usize {
  store<u8>(RET, load<u8>(ANSWER));
  store<u32>(RET, load<u32>(ANSWER, 4), 4);
  return RET;
}

/** result<_, error-code> from a result<T, error-code> answer whose error sits @4. */
function answerUnit(): usize {
  store<u8>(RET, load<u8>(ANSWER));
  store<u8>(RET, load<u8>(ANSWER, 4), 1);
  return RET;
}

export function use_before_close(): usize {
  const t = tableNew(4);
  const h = file(t, 7);
  check(t, h, READ, 0, ANSWER);
  const r = answerWord();
  tableDrop(t);
  return r;
}

export function use_after_close(): usize {
  const t = tableNew(4);
  const h = file(t, 7);
  close(t, h, ANSWER);
  check(t, h, READ, 0, ANSWER);
  const r = answerWord();
  tableDrop(t);
  return r;
}

export function double_close(): usize {
  const t = tableNew(4);
  const h = file(t, 7);
  close(t, h, ANSWER);
  close(t, h, ANSWER);
  const r = answerUnit();
  tableDrop(t);
  return r;
}

export function use_after_reuse(): usize {
  const t = tableNew(4);
  const first = file(t, 7);
  close(t, first, ANSWER);
  file(t, 8); // same slot, next generation
  check(t, first, READ, 0, ANSWER);
  const r = answerWord();
  tableDrop(t);
  return r;
}

export function close_while_lent(): usize {
  const t = tableNew(4);
  const h = file(t, 7);
  borrow(t, h, 0, 0, 0, 0, 0, ANSWER);
  if (load<u8>(ANSWER) != 0) unreachable();
  close(t, h, ANSWER);
  const r = answerUnit();
  tableDrop(t);
  return r;
}
