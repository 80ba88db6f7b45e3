;; clock_time_get as the guest imports it (see host/wasi/clock.ts): a call
;; through slot 0 of this module's table. The slot holds the host's JS
;; implementation ("slow") until the guest's memory is known; then the host
;; puts clock-fast.wat's function there. A Wasm-to-Wasm call, so the guest's
;; i64 argument is never turned into a JS BigInt.
(module
  (type $clock (func (param i32 i64 i32) (result i32)))
  (import "host" "slow" (func $slow (type $clock)))
  (table (export "table") 1 funcref)
  (elem (i32.const 0) func $slow)
  (func (export "clock_time_get") (type $clock)
    (call_indirect (type $clock) (local.get 0) (local.get 1) (local.get 2) (i32.const 0))))
