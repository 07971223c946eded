;; XOR chunk decoding (Gorilla float encoding, as Prometheus' chunkenc/xor.go)
;; with native 64-bit integers. The caller decodes the header (first sample and
;; the second sample's time delta) and copies the chunk's bytes to offset 0;
;; decoded timestamps go to TS (as f64) and value bits to VS (as i64).
;;
;; Layout: input at [0, 1 MiB), TS at 1 MiB (64Ki × 8 bytes), VS at 1.5 MiB.
;; Regenerate xor_wasm.ts with `node src/tsdb/chunkenc/wasm/build.ts`.
(module
  (memory (export "mem") 32)
  ;; Samples decoded before the last failure.
  (global $decoded (export "decoded") (mut i32) (i32.const 0))

  ;; The 64 bits starting at bit `pos`, most significant first.
  (func $peek64 (param $pos i32) (result i64)
    (local $i i32) (local $off i32) (local $x i64)
    (local.set $i (i32.shr_u (local.get $pos) (i32.const 3)))
    (local.set $off (i32.and (local.get $pos) (i32.const 7)))
    (local.set $x (i64.load (local.get $i)))
    ;; byte swap
    (local.set $x (i64.or
      (i64.shl (i64.and (local.get $x) (i64.const 0x00FF00FF00FF00FF)) (i64.const 8))
      (i64.and (i64.shr_u (local.get $x) (i64.const 8)) (i64.const 0x00FF00FF00FF00FF))))
    (local.set $x (i64.or
      (i64.shl (i64.and (local.get $x) (i64.const 0x0000FFFF0000FFFF)) (i64.const 16))
      (i64.and (i64.shr_u (local.get $x) (i64.const 16)) (i64.const 0x0000FFFF0000FFFF))))
    (local.set $x (i64.or (i64.shl (local.get $x) (i64.const 32)) (i64.shr_u (local.get $x) (i64.const 32))))
    (if (local.get $off)
      (then
        (local.set $x (i64.or
          (i64.shl (local.get $x) (i64.extend_i32_u (local.get $off)))
          (i64.extend_i32_u (i32.shr_u
            (i32.load8_u (i32.add (local.get $i) (i32.const 8)))
            (i32.sub (i32.const 8) (local.get $off))))))))
    (local.get $x))

  ;; `n` (1..64) bits at `pos`, unsigned.
  (func $bits (param $pos i32) (param $n i32) (result i64)
    (i64.shr_u (call $peek64 (local.get $pos)) (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $n)))))

  ;; Decodes samples 1..total-1 of a chunk whose stream (after the 2-byte count)
  ;; is `len` bytes at 0. Sample 0 (t0, value bits vhi:vlo) and the first delta
  ;; d1 come from the caller, as does `pos`, the bit position after d1.
  ;; Returns `total`, -1 on truncation or -2 on a bad leading/significant pair.
  (func (export "decode")
    (param $len i32) (param $total i32) (param $t0 f64) (param $d1 f64)
    (param $vhi i32) (param $vlo i32) (param $pos i32) (result i32)
    (local $k i32) (local $t i64) (local $delta i64) (local $v i64) (local $w i64)
    (local $used i32) (local $sz i32) (local $dod i64) (local $c i32)
    (local $leading i32) (local $trailing i32) (local $mbits i32) (local $end i32)
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (local.set $t (i64.trunc_f64_s (local.get $t0)))
    (local.set $delta (i64.trunc_f64_s (local.get $d1)))
    (local.set $v (i64.or
      (i64.shl (i64.extend_i32_u (local.get $vhi)) (i64.const 32))
      (i64.extend_i32_u (local.get $vlo))))
    (f64.store (i32.const 1048576) (f64.convert_i64_s (local.get $t)))
    (i64.store (i32.const 1572864) (local.get $v))
    (local.set $k (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $total)))
        (local.set $w (call $peek64 (local.get $pos)))
        (local.set $used (i32.const 0))
        (if (i32.gt_u (local.get $k) (i32.const 1))
          (then
            (if (i64.eqz (i64.shr_u (local.get $w) (i64.const 63)))
              (then (local.set $used (i32.const 1)))
              (else
                (if (i64.eq (i64.shr_u (local.get $w) (i64.const 62)) (i64.const 2))
                  (then (local.set $used (i32.const 2)) (local.set $sz (i32.const 14)))
                  (else (if (i64.eq (i64.shr_u (local.get $w) (i64.const 61)) (i64.const 6))
                    (then (local.set $used (i32.const 3)) (local.set $sz (i32.const 17)))
                    (else (if (i64.eq (i64.shr_u (local.get $w) (i64.const 60)) (i64.const 14))
                      (then (local.set $used (i32.const 4)) (local.set $sz (i32.const 20)))
                      (else (local.set $used (i32.const 4)) (local.set $sz (i32.const 64))))))))
                (local.set $pos (i32.add (local.get $pos) (local.get $used)))
                (local.set $dod (call $bits (local.get $pos) (local.get $sz)))
                (local.set $pos (i32.add (local.get $pos) (local.get $sz)))
                ;; Sign: values above 2^(sz-1) are negative (a 64-bit one already is).
                (if (i32.lt_u (local.get $sz) (i32.const 64))
                  (then
                    (if (i64.gt_u (local.get $dod)
                          (i64.shl (i64.const 1) (i64.extend_i32_u (i32.sub (local.get $sz) (i32.const 1)))))
                      (then (local.set $dod (i64.sub (local.get $dod)
                        (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $sz)))))))))
                (local.set $delta (i64.add (local.get $delta) (local.get $dod)))
                (local.set $w (call $peek64 (local.get $pos)))
                (local.set $used (i32.const 0))))))
        (local.set $t (i64.add (local.get $t) (local.get $delta)))
        ;; Value: 0 = same, 10 = reuse the window, 11 = new window.
        (local.set $c (i32.wrap_i64 (i64.shr_u
          (i64.shl (local.get $w) (i64.extend_i32_u (local.get $used))) (i64.const 62))))
        (if (i32.lt_u (local.get $c) (i32.const 2))
          (then (local.set $pos (i32.add (local.get $pos) (i32.add (local.get $used) (i32.const 1)))))
          (else
            (if (i32.eq (local.get $c) (i32.const 3))
              (then
                (local.set $leading (i32.wrap_i64 (i64.shr_u
                  (i64.shl (local.get $w) (i64.extend_i32_u (i32.add (local.get $used) (i32.const 2))))
                  (i64.const 59))))
                (local.set $mbits (i32.wrap_i64 (i64.shr_u
                  (i64.shl (local.get $w) (i64.extend_i32_u (i32.add (local.get $used) (i32.const 7))))
                  (i64.const 58))))
                (local.set $pos (i32.add (local.get $pos) (i32.add (local.get $used) (i32.const 13))))
                (if (i32.eqz (local.get $mbits)) (then (local.set $mbits (i32.const 64))))
                (local.set $trailing (i32.sub (i32.sub (i32.const 64) (local.get $leading)) (local.get $mbits)))
                ;; Past the end of the stream this is truncation, not corruption.
                (if (i32.lt_s (local.get $trailing) (i32.const 0))
                  (then
                    (global.set $decoded (local.get $k))
                    (return (select (i32.const -1) (i32.const -2)
                      (i32.gt_u (local.get $pos) (local.get $end)))))))
              (else (local.set $pos (i32.add (local.get $pos) (i32.add (local.get $used) (i32.const 2))))))
            (local.set $mbits (i32.sub (i32.sub (i32.const 64) (local.get $leading)) (local.get $trailing)))
            (local.set $v (i64.xor (local.get $v)
              (i64.shl (call $bits (local.get $pos) (local.get $mbits)) (i64.extend_i32_u (local.get $trailing)))))
            (local.set $pos (i32.add (local.get $pos) (local.get $mbits)))))
        (if (i32.gt_u (local.get $pos) (local.get $end))
          (then (global.set $decoded (local.get $k)) (return (i32.const -1))))
        (f64.store (i32.add (i32.const 1048576) (i32.shl (local.get $k) (i32.const 3)))
          (f64.convert_i64_s (local.get $t)))
        (i64.store (i32.add (i32.const 1572864) (i32.shl (local.get $k) (i32.const 3))) (local.get $v))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $total))
)
