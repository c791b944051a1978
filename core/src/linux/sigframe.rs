//! The signal frame each guest architecture's Linux kernel builds on the user stack before
//! running a handler, and reads back in `rt_sigreturn`.
//!
//! Both frames start `struct rt_sigframe { siginfo_t info; struct ucontext uc; }` (16-byte
//! aligned) and share the head of `ucontext` (uc_flags, uc_link, uc_stack at +16, uc_sigmask
//! at +40, padding to the 1024-bit sigset the kernel reserves, uc_mcontext at +176); the
//! machine context differs:
//!
//! - riscv64: `struct sigcontext { user_regs_struct sc_regs; __riscv_fp_state sc_fpregs; }`:
//!   pc then x1..x31 (slot 0 is the pc), then f0..f31 and fcsr in the D layout, the rest of
//!   the Q-sized union zero. 1088 bytes in all. The handler returns to `ra`.
//! - aarch64: `struct sigcontext { fault_address; regs[31]; sp; pc; pstate; __reserved[4096]
//!   }` with a `fpsimd_context` record (fpsr, fpcr, v0..v31) then a null terminator record in
//!   `__reserved`; 4688 bytes, below a frame record {x29, x30} that x29 points at, so
//!   unwinders can walk through the handler. The handler returns to `x30`.
//!
//! Offsets were checked against the cross toolchains' `ucontext_t` (offsetof under
//! qemu-user) and follow the kernels' `setup_rt_frame`/`rt_sigreturn`.

use crate::isa::{Arch, Registers};
use crate::mem::GuestMemory;

pub const SIGINFO_SIZE: usize = 128;
const UC: usize = SIGINFO_SIZE;
pub const UC_STACK: usize = UC + 16;
pub const UC_SIGMASK: usize = UC + 40;
const MCONTEXT: usize = UC + 176;

const RISCV_FRAME: usize = 1088;
const RISCV_FP: usize = MCONTEXT + 256;

const ARM_FRAME: usize = 4688;
const ARM_REGS: usize = MCONTEXT + 8;
const ARM_SP: usize = MCONTEXT + 256;
const ARM_PC: usize = MCONTEXT + 264;
const ARM_PSTATE: usize = MCONTEXT + 272;
const ARM_RESERVED: usize = MCONTEXT + 288;
const ARM_RESERVED_LEN: usize = 4096;
const FPSIMD_MAGIC: u32 = 0x4650_8001;
const FPSIMD_SIZE: usize = 528;
/// PSTATE bits user space may set through a frame: NZCV.
const NZCV: u64 = 0xf000_0000;

/// Which frame layout a guest uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Riscv64,
    Aarch64,
}

impl Layout {
    pub fn of(arch: &Arch) -> Layout {
        match arch.name {
            "aarch64" => Layout::Aarch64,
            _ => Layout::Riscv64,
        }
    }
    /// The index of the stack pointer in [`Registers::x`].
    pub fn sp(self) -> usize {
        match self {
            Layout::Riscv64 => 2,
            Layout::Aarch64 => 31,
        }
    }
    /// The register holding a system call's first argument and its result.
    pub fn arg0(self) -> usize {
        match self {
            Layout::Riscv64 => 10,
            Layout::Aarch64 => 0,
        }
    }
    /// The size of the frame (without aarch64's 16-byte frame record).
    pub fn frame_size(self) -> u64 {
        match self {
            Layout::Riscv64 => RISCV_FRAME as u64,
            Layout::Aarch64 => ARM_FRAME as u64 + 16,
        }
    }
    /// The instructions of a `rt_sigreturn` trampoline (`li a7, 139; ecall` /
    /// `mov x8, #139; svc #0`), little-endian words.
    pub fn trampoline(self) -> [u32; 2] {
        match self {
            Layout::Riscv64 => [0x08b0_0893, 0x0000_0073],
            Layout::Aarch64 => [0xd280_1168, 0xd400_0001],
        }
    }
}

/// What goes into a frame besides the registers.
pub struct Frame<'a> {
    pub sig: i32,
    pub info: &'a [u8; SIGINFO_SIZE],
    pub handler: u64,
    /// Where the handler returns: the guest's `sa_restorer` or remu's trampoline.
    pub return_to: u64,
    /// The blocked mask `rt_sigreturn` restores.
    pub mask: u64,
    /// `uc_stack`: ss_sp, ss_flags, ss_size.
    pub stack: [u64; 3],
    /// The address the frame goes below (the stack pointer, or the top of the alternate
    /// signal stack).
    pub top: u64,
    /// aarch64 `sigcontext.fault_address`.
    pub fault_addr: u64,
}

fn put(buf: &mut [u8], at: usize, v: u64) {
    buf[at..at + 8].copy_from_slice(&v.to_le_bytes());
}
fn put32(buf: &mut [u8], at: usize, v: u32) {
    buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn get(buf: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(buf[at..at + 8].try_into().unwrap())
}
fn get32(buf: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(buf[at..at + 4].try_into().unwrap())
}

/// The frame's common head: siginfo, uc_stack and uc_sigmask.
fn head(buf: &mut [u8], f: &Frame<'_>) {
    buf[..SIGINFO_SIZE].copy_from_slice(f.info);
    put(buf, UC_STACK, f.stack[0]);
    put32(buf, UC_STACK + 8, f.stack[1] as u32);
    put(buf, UC_STACK + 16, f.stack[2]);
    put(buf, UC_SIGMASK, f.mask);
}

/// Writes the frame for a handler interrupting `regs` and returns the registers the
/// handler starts with. `None` when the frame cannot be written (a bad stack: the kernel
/// then kills the thread with SIGSEGV).
pub fn push(layout: Layout, mem: &GuestMemory, regs: &Registers, f: &Frame<'_>) -> Option<Registers> {
    let mut r = regs.clone();
    match layout {
        Layout::Riscv64 => {
            let base = f.top.wrapping_sub(RISCV_FRAME as u64) & !15;
            let mut buf = vec![0u8; RISCV_FRAME];
            head(&mut buf, f);
            put(&mut buf, MCONTEXT, regs.pc);
            for i in 1..32 {
                put(&mut buf, MCONTEXT + 8 * i, regs.x[i]);
            }
            for i in 0..32 {
                put(&mut buf, RISCV_FP + 8 * i, regs.v[i] as u64);
            }
            put32(&mut buf, RISCV_FP + 256, regs.fp_control as u32);
            mem.write(base, &buf).ok()?;
            r.pc = f.handler;
            r.x[1] = f.return_to;
            r.x[2] = base;
            r.x[10] = f.sig as u64;
            r.x[11] = base;
            r.x[12] = base + UC as u64;
        }
        Layout::Aarch64 => {
            let record = f.top.wrapping_sub(16) & !15;
            let base = record.wrapping_sub(ARM_FRAME as u64);
            let mut buf = vec![0u8; ARM_FRAME + 16];
            head(&mut buf, f);
            put(&mut buf, MCONTEXT, f.fault_addr);
            for i in 0..31 {
                put(&mut buf, ARM_REGS + 8 * i, regs.x[i]);
            }
            put(&mut buf, ARM_SP, regs.x[31]);
            put(&mut buf, ARM_PC, regs.pc);
            put(&mut buf, ARM_PSTATE, regs.flags & NZCV);
            put32(&mut buf, ARM_RESERVED, FPSIMD_MAGIC);
            put32(&mut buf, ARM_RESERVED + 4, FPSIMD_SIZE as u32);
            put32(&mut buf, ARM_RESERVED + 8, regs.fp_status as u32);
            put32(&mut buf, ARM_RESERVED + 12, regs.fp_control as u32);
            for i in 0..32 {
                let at = ARM_RESERVED + 16 + 16 * i;
                buf[at..at + 16].copy_from_slice(&regs.v[i].to_le_bytes());
            }
            // The null record after fpsimd ends the list (already zero); then the frame
            // record {x29, x30} right above the frame.
            put(&mut buf, ARM_FRAME, regs.x[29]);
            put(&mut buf, ARM_FRAME + 8, regs.x[30]);
            mem.write(base, &buf).ok()?;
            r.pc = f.handler;
            r.x[0] = f.sig as u64;
            r.x[1] = base;
            r.x[2] = base + UC as u64;
            r.x[29] = record;
            r.x[30] = f.return_to;
            r.x[31] = base;
        }
    }
    Some(r)
}

/// What `rt_sigreturn` restores.
pub struct Restored {
    pub regs: Registers,
    pub mask: u64,
    /// uc_stack: ss_sp, ss_flags, ss_size.
    pub stack: [u64; 3],
}

/// Reads the frame at the stack pointer of `regs` (the handler has returned into the
/// trampoline). `None` for a frame the kernel would reject (unreadable, misaligned on
/// aarch64, no FP/SIMD record).
pub fn pop(layout: Layout, mem: &GuestMemory, regs: &Registers) -> Option<Restored> {
    let base = regs.x[layout.sp()];
    let mut r = regs.clone();
    let buf = match layout {
        Layout::Riscv64 => {
            let buf = mem.read_vec(base, RISCV_FRAME).ok()?;
            r.pc = get(&buf, MCONTEXT);
            for i in 1..32 {
                r.x[i] = get(&buf, MCONTEXT + 8 * i);
            }
            for i in 0..32 {
                r.v[i] = get(&buf, RISCV_FP + 8 * i) as u128;
            }
            r.fp_control = (get32(&buf, RISCV_FP + 256) & 0xff) as u64;
            buf
        }
        Layout::Aarch64 => {
            if base & 15 != 0 {
                return None;
            }
            let buf = mem.read_vec(base, ARM_FRAME).ok()?;
            for i in 0..31 {
                r.x[i] = get(&buf, ARM_REGS + 8 * i);
            }
            r.x[31] = get(&buf, ARM_SP);
            r.pc = get(&buf, ARM_PC);
            r.flags = get(&buf, ARM_PSTATE) & NZCV;
            // Walk the records for the FP/SIMD state, which must be there.
            let mut at = ARM_RESERVED;
            let mut found = false;
            while at + 8 <= ARM_RESERVED + ARM_RESERVED_LEN {
                let (magic, size) = (get32(&buf, at), get32(&buf, at + 4) as usize);
                if magic == 0 {
                    break;
                }
                if size < 8 || at + size > ARM_RESERVED + ARM_RESERVED_LEN {
                    return None;
                }
                if magic == FPSIMD_MAGIC {
                    if size != FPSIMD_SIZE {
                        return None;
                    }
                    r.fp_status = get32(&buf, at + 8) as u64;
                    r.fp_control = get32(&buf, at + 12) as u64;
                    for i in 0..32 {
                        let o = at + 16 + 16 * i;
                        r.v[i] = u128::from_le_bytes(buf[o..o + 16].try_into().unwrap());
                    }
                    found = true;
                }
                at += size;
            }
            if !found {
                return None;
            }
            buf
        }
    };
    let stack = [get(&buf, UC_STACK), get32(&buf, UC_STACK + 8) as u64, get(&buf, UC_STACK + 16)];
    Some(Restored { regs: r, mask: get(&buf, UC_SIGMASK), stack })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mem::{Placement, Prot};

    fn sample() -> Registers {
        let mut r = Registers { pc: 0x1234, fp_control: 0x65, fp_status: 0x8000_001f, flags: 0x6000_0000, ..Default::default() };
        for i in 0..32 {
            r.x[i] = 0x1000 * i as u64 + 7;
            r.v[i] = (u128::MAX / 3) ^ i as u128;
        }
        r
    }

    #[test]
    fn push_then_pop_round_trips() {
        for layout in [Layout::Riscv64, Layout::Aarch64] {
            let mem = GuestMemory::new(32).unwrap();
            mem.map(Placement::Fixed(0x10000), 0x10000, Prot::READ | Prot::WRITE, false, None).unwrap();
            let mut regs = sample();
            if layout == Layout::Riscv64 {
                regs.x[0] = 0;
                regs.fp_status = 0;
                regs.flags = 0;
                for v in &mut regs.v {
                    *v &= u64::MAX as u128;
                }
            }
            let top = 0x1fff8;
            regs.x[layout.sp()] = top;
            let info = [0x5a; SIGINFO_SIZE];
            let f = Frame {
                sig: 10,
                info: &info,
                handler: 0x4000,
                return_to: 0x5000,
                mask: 0x8000_0000_0000_0201,
                stack: [0x30000, 2, 0],
                top,
                fault_addr: 0,
            };
            let h = push(layout, &mem, &regs, &f).unwrap();
            let sp = h.x[layout.sp()];
            assert_eq!(sp & 15, 0);
            assert!(sp + layout.frame_size() <= top);
            assert_eq!(h.pc, 0x4000);
            assert_eq!(h.x[layout.arg0()], 10);
            assert_eq!(mem.read_vec(sp, SIGINFO_SIZE).unwrap(), info.to_vec());
            assert_eq!(mem.read_u64(sp + UC_SIGMASK as u64).unwrap(), f.mask);
            let back = pop(layout, &mem, &h).unwrap();
            assert_eq!(back.regs, regs);
            assert_eq!(back.mask, f.mask);
            assert_eq!(back.stack, f.stack);
        }
    }

    #[test]
    fn layouts_the_handlers_read() {
        let mem = GuestMemory::new(32).unwrap();
        mem.map(Placement::Fixed(0x10000), 0x10000, Prot::READ | Prot::WRITE, false, None).unwrap();
        let regs = Registers { pc: 0x1234, ..sample() };
        let info = [0; SIGINFO_SIZE];
        let f = Frame { sig: 11, info: &info, handler: 1, return_to: 2, mask: 0, stack: [0; 3], top: 0x20000, fault_addr: 0xdead };
        // riscv64: ucontext at a2, mcontext.__gregs[0] is the pc, __gregs[2] the sp, fcsr after f31.
        let h = push(Layout::Riscv64, &mem, &regs, &f).unwrap();
        let mc = h.x[12] + 176;
        assert_eq!(mem.read_u64(mc).unwrap(), 0x1234);
        assert_eq!(mem.read_u64(mc + 16).unwrap(), regs.x[2]);
        assert_eq!(mem.read_u32(mc + 256 + 256).unwrap(), 0x65);
        assert_eq!(h.x[1], 2);
        // aarch64: fault_address, regs, sp, pc, the fpsimd record, the frame record.
        let h = push(Layout::Aarch64, &mem, &regs, &f).unwrap();
        let mc = h.x[2] + 176;
        assert_eq!(mem.read_u64(mc).unwrap(), 0xdead);
        assert_eq!(mem.read_u64(mc + 8 + 8 * 30).unwrap(), regs.x[30]);
        assert_eq!(mem.read_u64(mc + 256).unwrap(), regs.x[31]);
        assert_eq!(mem.read_u64(mc + 264).unwrap(), 0x1234);
        assert_eq!(mem.read_u32(mc + 288).unwrap(), FPSIMD_MAGIC);
        assert_eq!(mem.read_u32(mc + 288 + 8).unwrap(), 0x8000_001f);
        assert_eq!(mem.read_u64(h.x[29]).unwrap(), regs.x[29]);
        assert_eq!(mem.read_u64(h.x[29] + 8).unwrap(), regs.x[30]);
        assert_eq!(h.x[29], h.x[31] + ARM_FRAME as u64);
        assert_eq!(h.x[30], 2);
        // A frame without the FP/SIMD record is refused.
        mem.write_u32(mc + 288, 0).unwrap();
        assert!(pop(Layout::Aarch64, &mem, &h).is_none());
    }
}
