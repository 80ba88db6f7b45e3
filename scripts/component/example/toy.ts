// Toy implementation of iolife:toy/tables (see ./toy.wit), written against
// the Canonical ABI "legacy" core names. Exports carry plain AS names here;
// rename-exports.mjs maps them to CABI names after compilation.

// Resource intrinsics for a resource this component EXPORTS: module "[export]<iface>".
@external("[export]iolife:toy/tables", "[resource-new]table")
declare function tableResourceNew(rep: u32): u32; // rep -> own handle

const RET: usize = memory.data(16, 8); // static return area (like wit-bindgen's RET_AREA)

// error-code enum discriminants (declaration order in WIT)
const BAD_HANDLE: u8 = 0;
const TABLE_FULL: u8 = 1;
const BAD_KIND: u8 = 2;

class Table {
  kinds: StaticArray<i32>;
  labels: StaticArray<usize>; // ptr to [len:u32][bytes...] or 0
  live: u32 = 0;
  constructor(public capacity: u32) {
    this.kinds = new StaticArray<i32>(capacity);
    this.labels = new StaticArray<usize>(capacity);
    for (let i: u32 = 0; i < capacity; i++) this.kinds[i] = -1;
  }
  valid(h: u32): bool {
    return h >= 1 && h <= this.capacity && this.kinds[h - 1] >= 0;
  }
}

const tables = new Array<Table | null>(); // rep = index + 1
let dropped: u32 = 0;

function get(rep: u32): Table { return tables[rep - 1]!; }

function okU32(v: u32): usize { store<u8>(RET, 0); store<u32>(RET, v, 4); return RET; }
function errU32(e: u8): usize { store<u8>(RET, 1); store<u8>(RET, e, 4); return RET; }
function okUnit(): usize { store<u8>(RET, 0); return RET; }
function errUnit(e: u8): usize { store<u8>(RET, 1); store<u8>(RET, e, 1); return RET; }

function newTable(capacity: u32): u32 {
  tables.push(new Table(capacity));
  return tableResourceNew(<u32>tables.length);
}

// [constructor]table: (capacity) -> own<table> handle
export function table_new(capacity: u32): u32 { return newTable(capacity); }
export function make_default(): u32 { return newTable(4); }

// [method]table.insert: (self rep, kind) -> retptr to result<u32, error-code>
export function table_insert(self: u32, kind: u32): usize {
  const t = get(self);
  if (kind > 3) return errU32(BAD_KIND);
  for (let i: u32 = 0; i < t.capacity; i++) {
    if (t.kinds[i] < 0) { t.kinds[i] = <i32>kind; t.live++; return okU32(i + 1); }
  }
  return errU32(TABLE_FULL);
}

// [method]table.close: (self rep, h) -> retptr to result<_, error-code>
export function table_close(self: u32, h: u32): usize {
  const t = get(self);
  if (!t.valid(h)) return errUnit(BAD_HANDLE);
  t.kinds[h - 1] = -1; t.live--;
  const l = t.labels[h - 1];
  if (l) { heap.free(l); t.labels[h - 1] = 0; }
  return okUnit();
}

// option<u32>: disc u8 @0, payload u32 @4
export function table_kind_of(self: u32, h: u32): usize {
  const t = get(self);
  if (!t.valid(h)) { store<u8>(RET, 0); return RET; }
  store<u8>(RET, 1); store<u32>(RET, <u32>t.kinds[h - 1], 4); return RET;
}

// record stats { live: u32, capacity: u32 }: live @0, capacity @4
export function table_stats(self: u32): usize {
  const t = get(self);
  store<u32>(RET, t.live); store<u32>(RET, t.capacity, 4); return RET;
}

// list<u32>: (ptr @0, len @4); elements allocated here, freed in post-return
export function table_handles(self: u32): usize {
  const t = get(self);
  const buf = heap.alloc(<usize>t.live * 4);
  let n: u32 = 0;
  for (let i: u32 = 0; i < t.capacity; i++) if (t.kinds[i] >= 0) { store<u32>(buf + (<usize>n << 2), i + 1); n++; }
  store<u32>(RET, <u32>buf); store<u32>(RET, n, 4); return RET;
}
export function post_table_handles(ret: usize): void { heap.free(<usize>load<u32>(ret)); }

// result<string, error-code>: disc @0, ok (ptr @4, len @8) | err u8 @4
export function table_label(self: u32, h: u32): usize {
  const t = get(self);
  if (!t.valid(h)) return errU32(BAD_HANDLE);
  const l = t.labels[h - 1];
  let buf: usize, len: u32;
  if (l) {
    len = load<u32>(l); buf = heap.alloc(len); memory.copy(buf, l + 4, len);
  } else {
    const s = String.UTF8.encode("kind-" + t.kinds[h - 1].toString() + "#" + h.toString());
    len = <u32>s.byteLength; buf = heap.alloc(len); memory.copy(buf, changetype<usize>(s), len);
  }
  store<u8>(RET, 0); store<u32>(RET, <u32>buf, 4); store<u32>(RET, len, 8); return RET;
}
export function post_table_label(ret: usize): void {
  if (load<u8>(ret) == 0) heap.free(<usize>load<u32>(ret, 4));
}

// set-label(h, label: string): string arrives as (ptr, len) allocated by the
// host through our cabi_realloc; the callee owns it and must free it.
export function table_set_label(self: u32, h: u32, ptr: usize, len: u32): usize {
  const t = get(self);
  if (!t.valid(h)) { heap.free(ptr); return errUnit(BAD_HANDLE); }
  const old = t.labels[h - 1];
  if (old) heap.free(old);
  const l = heap.alloc(<usize>len + 4);
  store<u32>(l, len); memory.copy(l + 4, ptr, len); heap.free(ptr);
  t.labels[h - 1] = l;
  return okUnit();
}

// [dtor]table: (rep) -> ()  -- called when the last own handle is dropped
export function table_dtor(rep: u32): void { tables[rep - 1] = null; dropped++; }
export function dropped_count(): u32 { return dropped; }

// cabi_realloc(old_ptr, old_size, align, new_size) -> ptr
export function cabi_realloc(old: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (old == 0) return heap.alloc(newSize);
  return heap.realloc(old, newSize);
}
