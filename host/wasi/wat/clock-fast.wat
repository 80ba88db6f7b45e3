;; clock_time_get(MONOTONIC) against the guest's own memory (see
;; host/wasi/clock.ts): the same checks as the JS implementation, in its
;; order (the clock id, then the result pointer, then the clock is read),
;; and the time stored from Wasm. "now" is the platform's monotonicNs, a JS
;; function returning a bigint (process.hrtime.bigint in Node), which V8
;; converts to an i64 without allocating. Every other clock id goes to the
;; JS implementation.
(module
  (type $clock (func (param i32 i64 i32) (result i32)))
  (import "host" "memory" (memory 0))
  (import "host" "now" (func $now (result i64)))
  (import "host" "slow" (func $slow (type $clock)))
  (func (export "clock_time_get") (type $clock)
    ;; 1 = CLOCKID_MONOTONIC
    (if (i32.ne (local.get 0) (i32.const 1))
      (then (return (call $slow (local.get 0) (local.get 1) (local.get 2)))))
    ;; out + 8 past the end of memory: 21 = ERRNO_FAULT, nothing read or written
    (if (i64.gt_u
          (i64.add (i64.extend_i32_u (local.get 2)) (i64.const 8))
          (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (then (return (i32.const 21))))
    (i64.store (local.get 2) (call $now))
    (i32.const 0)))
