//! Host floating point (x86-64 SSE and FMA3) with a chosen rounding direction, returning
//! the IEEE exception flags the host raised: the fast path the ISA crates' FP units take
//! where the host's IEEE 754 arithmetic gives the guest's answer.
//!
//! Each operation runs inside one `asm!` block that loads MXCSR with the wanted rounding
//! and clear status bits, runs one instruction, reads the status bits back and restores
//! the default MXCSR, so compiled Rust code never sees a changed floating-point
//! environment. x86 detects tininess after rounding (as RISC-V does; Arm detects it before
//! rounding, so an Arm caller treats results near the underflow threshold itself).

use core::arch::asm;
use core::sync::atomic::{AtomicU8, Ordering};

/// MXCSR as Rust code expects it: all exceptions masked, round to
/// nearest, no DAZ (bit 6) and no FTZ (bit 15), status bits clear.
pub static MXCSR_DEFAULT: u32 = 0x1f80;

/// A rounding direction, numbered as MXCSR's RC field (bits 13-14) numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Round {
    Nearest = 0,
    Down = 1,
    Up = 2,
    TowardZero = 3,
}

/// MXCSR with rounding `rm`, exceptions masked and status bits clear.
#[inline(always)]
pub fn mxcsr_for(rm: Round) -> u32 {
    MXCSR_DEFAULT | (rm as u32) << 13
}

/// MXCSR status bits the operations return: invalid, denormal operand, divide by zero,
/// overflow, underflow (tiny after rounding, and inexact), inexact.
pub const INVALID: u32 = 1;
pub const DENORMAL: u32 = 2;
pub const DIVIDE_BY_ZERO: u32 = 4;
pub const OVERFLOW: u32 = 8;
pub const UNDERFLOW: u32 = 16;
pub const INEXACT: u32 = 32;

/// Generates `fn name(a, b, rm) -> (result, mxcsr)` computing
/// `insn x, y` with MXCSR set for `rm` and status bits cleared.
macro_rules! host_bin {
    ($name:ident, $t:ty, $insn:literal) => {
        #[inline(always)]
        pub fn $name(a: $t, b: $t, rm: Round) -> ($t, u32) {
            let ctl: u32 = mxcsr_for(rm);
            let mut st: u32 = 0;
            let mut x = a;
            if rm == Round::Nearest {
                // SAFETY: loads a valid MXCSR value (exceptions masked, no
                // reserved bits) from a live local, runs one SSE arithmetic
                // instruction on registers and stores MXCSR to a live local.
                // The rounding control loaded is the default one, so the
                // floating-point environment Rust code relies on is kept
                // (only the sticky status bits differ).
                unsafe {
                    asm!(
                        "ldmxcsr [{c}]",
                        concat!($insn, " {x}, {y}"),
                        "stmxcsr [{s}]",
                        c = in(reg) core::ptr::addr_of!(ctl),
                        s = in(reg) core::ptr::addr_of_mut!(st),
                        x = inout(xmm_reg) x,
                        y = in(xmm_reg) b,
                        options(nostack, preserves_flags),
                    );
                }
            } else {
                // SAFETY: as above; the non-default rounding mode is only
                // in force inside this asm block, which restores the
                // default MXCSR before returning to compiled code.
                unsafe {
                    asm!(
                        "ldmxcsr [{c}]",
                        concat!($insn, " {x}, {y}"),
                        "stmxcsr [{s}]",
                        "ldmxcsr [{d}]",
                        c = in(reg) core::ptr::addr_of!(ctl),
                        s = in(reg) core::ptr::addr_of_mut!(st),
                        d = in(reg) core::ptr::addr_of!(MXCSR_DEFAULT),
                        x = inout(xmm_reg) x,
                        y = in(xmm_reg) b,
                        options(nostack, preserves_flags),
                    );
                }
            }
            (x, st)
        }
    };
}

host_bin!(add_sd, f64, "addsd");
host_bin!(sub_sd, f64, "subsd");
host_bin!(mul_sd, f64, "mulsd");
host_bin!(div_sd, f64, "divsd");
host_bin!(sqrt_sd, f64, "sqrtsd");
host_bin!(add_ss, f32, "addss");
host_bin!(sub_ss, f32, "subss");
host_bin!(mul_ss, f32, "mulss");
host_bin!(div_ss, f32, "divss");
host_bin!(sqrt_ss, f32, "sqrtss");

/// `cvtsd2ss` under rounding mode `rm`.
#[inline(always)]
pub fn cvt_sd2ss(a: f64, rm: Round) -> (f32, u32) {
    let ctl: u32 = mxcsr_for(rm);
    let mut st: u32 = 0;
    let r: f32;
    // SAFETY: loads a valid MXCSR value from a live local, converts
    // between registers, stores MXCSR to a live local and restores the
    // default MXCSR before leaving the asm block.
    unsafe {
        asm!(
            "ldmxcsr [{c}]",
            "cvtsd2ss {x}, {y}",
            "stmxcsr [{s}]",
            "ldmxcsr [{d}]",
            c = in(reg) core::ptr::addr_of!(ctl),
            s = in(reg) core::ptr::addr_of_mut!(st),
            d = in(reg) core::ptr::addr_of!(MXCSR_DEFAULT),
            x = out(xmm_reg) r,
            y = in(xmm_reg) a,
            options(nostack, preserves_flags),
        );
    }
    (r, st)
}

/// Generates `fn name(a, b, c, rm) -> (a*b+c, mxcsr)` with FMA3.
/// Only call when [`has_fma`] is true.
macro_rules! host_fma {
    ($name:ident, $t:ty, $insn:literal) => {
        #[inline(always)]
        pub fn $name(a: $t, b: $t, c: $t, rm: Round) -> ($t, u32) {
            debug_assert!(has_fma());
            let ctl: u32 = mxcsr_for(rm);
            let mut st: u32 = 0;
            let mut x = c;
            // SAFETY: the caller checked (via `has_fma`) that the CPU
            // implements FMA3. The block loads a valid MXCSR value, runs one
            // fused multiply-add on registers, stores MXCSR to a live local
            // and restores the default MXCSR before returning.
            unsafe {
                asm!(
                    "ldmxcsr [{c}]",
                    concat!($insn, " {x}, {y}, {z}"),
                    "stmxcsr [{s}]",
                    "ldmxcsr [{d}]",
                    c = in(reg) core::ptr::addr_of!(ctl),
                    s = in(reg) core::ptr::addr_of_mut!(st),
                    d = in(reg) core::ptr::addr_of!(MXCSR_DEFAULT),
                    x = inout(xmm_reg) x,
                    y = in(xmm_reg) a,
                    z = in(xmm_reg) b,
                    options(nostack, preserves_flags),
                );
            }
            (x, st)
        }
    };
}

host_fma!(fma_sd, f64, "vfmadd231sd");

/// Generates `fn name(a, b, c) -> r`, one fused instruction in the default environment
/// (round to nearest; flags not read). Only call when [`has_fma`] is true.
macro_rules! host_fused_default {
    ($name:ident, $t:ty, $insn:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline(always)]
        pub fn $name(a: $t, b: $t, c: $t) -> $t {
            debug_assert!(has_fma());
            let mut x = c;
            // SAFETY: the caller checked (via `has_fma`) that the CPU implements
            // FMA3; the instruction only reads and writes xmm registers (MXCSR
            // status bits it sets are never relied upon by compiled code).
            unsafe {
                asm!(
                    concat!($insn, " {x}, {y}, {z}"),
                    x = inout(xmm_reg) x,
                    y = in(xmm_reg) a,
                    z = in(xmm_reg) b,
                    options(pure, nomem, nostack, preserves_flags),
                );
            }
            x
        }
    };
}

host_fused_default!(fms_sd, f64, "vfmsub231sd", "`a*b - c` with one rounding to nearest.");
host_fused_default!(fma_sd_nearest, f64, "vfmadd231sd", "`a*b + c` with one rounding to nearest.");
host_fused_default!(fma_ss_nearest, f32, "vfmadd231ss", "`a*b + c` with one rounding to nearest.");
host_fma!(fma_ss, f32, "vfmadd231ss");

static FMA: AtomicU8 = AtomicU8::new(0);

/// Whether the host has FMA3 (detected once, then cached).
#[inline(always)]
pub fn has_fma() -> bool {
    match FMA.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let yes = std::arch::is_x86_feature_detected!("fma");
            FMA.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
            yes
        }
    }
}
