// Kitchen-sink echo component (see ./ks.wit): every function echoes its
// argument, so the core code spells out the Canonical ABI flat/memory layout
// of each type. Used by ../selftest.mjs to diff jco against the fast binding.
@external("iolife:ks/host@0.1.0", "log")
declare function hostLog(ptr: usize, len: u32, ret: usize): void;   // result<u32,string>: retptr
@external("iolife:ks/host@0.1.0", "pair")
declare function hostPair(n: u32, ret: usize): void;                 // tuple<u32,string>: retptr

const RET: usize = memory.data(32, 8);
const TMP: usize = memory.data(32, 8);

// record rec {a:u8@0, b:u64@8, c:string@16, d:f32@24} size 32
export function echo_rec(a: u32, b: u64, cp: u32, cl: u32, d: f32): usize {
  store<u8>(RET, <u8>a); store<u64>(RET, b, 8); store<u32>(RET, cp, 16); store<u32>(RET, cl, 20); store<f32>(RET, d, 24);
  return RET;
}
// variant var: flat [disc, i64, i32]; memory: disc@0, payload@8, size 16
export function echo_var(disc: u32, p1: i64, p2: i32): usize {
  store<u8>(RET, <u8>disc);
  if (disc == 1) store<u32>(RET, <u32>p1, 8);
  else if (disc == 2) store<i64>(RET, p1, 8);
  else if (disc == 3) store<i64>(RET, p1, 8); // f64 bits, same bytes
  else if (disc == 4) { store<u32>(RET, <u32>p1, 8); store<u32>(RET, <u32>p2, 12); }
  return RET;
}
export function echo_flags(f: u32): u32 { return f; }
// list<point>: point {x:s16@0,y:s16@2} size 4; return same storage (we own it now)
export function echo_points(p: u32, n: u32): usize { store<u32>(RET, p); store<u32>(RET, n, 4); return RET; }
export function post_points(r: usize): void { heap.free(<usize>load<u32>(r)); }
export function echo_strs(p: u32, n: u32): usize { store<u32>(RET, p); store<u32>(RET, n, 4); return RET; }
export function post_strs(r: usize): void {
  const p = <usize>load<u32>(r), n = load<u32>(r, 4);
  for (let i: u32 = 0; i < n; i++) heap.free(<usize>load<u32>(p + i * 8));
  heap.free(p);
}
// option<string>: flat [disc, ptr, len]; memory disc@0 payload@4 size 12
export function echo_opt(d: u32, p: u32, l: u32): usize {
  store<u8>(RET, <u8>d); if (d) { store<u32>(RET, p, 4); store<u32>(RET, l, 8); } return RET;
}
// tuple<u8,char,bool>: u8@0 char@4 bool@8 size 12
export function echo_tuple(a: u32, c: u32, b: u32): usize {
  store<u8>(RET, <u8>a); store<u32>(RET, c, 4); store<u8>(RET, <u8>b, 8); return RET;
}
// result<u64,string>: flat [disc, i64, i32]; memory disc@0 payload@8 size 16
export function echo_result(d: u32, p1: i64, p2: i32): usize {
  store<u8>(RET, <u8>d);
  if (d == 0) store<u64>(RET, p1, 8); else { store<u32>(RET, <u32>p1, 8); store<u32>(RET, <u32>p2, 12); }
  return RET;
}
// option<result<u8,color>>: flat [d0, d1, payload]; memory: d0@0, result@1 (d1@1, payload@2) size 3
export function echo_nested(d0: u32, d1: u32, v: u32): usize {
  store<u8>(RET, <u8>d0); if (d0) { store<u8>(RET, <u8>d1, 1); store<u8>(RET, <u8>v, 2); } return RET;
}
// 17 params > MAX_FLAT_PARAMS: single pointer to a tuple<u32 x16, s8> in OUR memory (host-allocated via cabi_realloc)
export function sum17(p: usize): i64 {
  let s: i64 = 0;
  for (let i = 0; i < 16; i++) s += <i64>load<u32>(p + i * 4);
  s += <i64>load<i8>(p + 64);
  heap.free(p);
  return s;
}
// tuple<u32,u32,string>: calls both host functions
export function call_host(p: u32, l: u32): usize {
  hostLog(p, l, TMP);                          // result<u32,string> @TMP: disc@0, payload@4
  const ok = load<u8>(TMP) == 0;
  const logged: u32 = ok ? load<u32>(TMP, 4) : 9999;
  if (!ok) heap.free(<usize>load<u32>(TMP, 4));
  hostPair(l, TMP);                            // tuple<u32,string>: u32@0, string@4
  store<u32>(RET, logged); store<u32>(RET, load<u32>(TMP), 4);
  store<u32>(RET, load<u32>(TMP, 4), 8); store<u32>(RET, load<u32>(TMP, 8), 12);
  heap.free(p);
  return RET;
}
export function post_call_host(r: usize): void { heap.free(<usize>load<u32>(r, 8)); }

export function cabi_realloc(old: usize, oldSize: usize, align: usize, newSize: usize): usize {
  return old == 0 ? heap.alloc(newSize) : heap.realloc(old, newSize);
}
