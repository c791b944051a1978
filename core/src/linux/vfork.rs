//! vfork semantics on top of a host fork.
//!
//! A vfork child (`CLONE_VM | CLONE_VFORK`: vfork, glibc's posix_spawn) shares its parent's
//! memory until it execs or exits, and the parent waits until then. remu's child is a host
//! fork with a copy of guest memory, so two things are added here:
//!
//! - the parent's calling thread waits until the child has exec'd or exited (the child
//!   holds the write end of a close-on-exec pipe; exec or exit closes it);
//! - when the child exits without exec'ing, the parent first takes back what the child wrote
//!   to the parent's stack: that is where glibc's posix_spawn child reports an exec failure
//!   (the errno in the caller's `args`), and the only parent memory POSIX lets a vfork child
//!   write. The child announces its exit on the pipe and waits for the parent's answer on a
//!   second one, so its memory is still there to be read (`process_vm_readv`, which a parent
//!   may use on its child).

use std::sync::atomic::{AtomicI32, Ordering};

use crate::mem::{GuestMemory, PAGE_SIZE};

/// In a vfork child: the pipe to announce the exit on and the pipe the answer comes on (-1
/// otherwise). Atomics, as every guest descriptor check reads them.
static ANNOUNCE: AtomicI32 = AtomicI32::new(-1);
static ANSWER: AtomicI32 = AtomicI32::new(-1);

/// The pipes of one vfork, made before the host fork.
pub struct Pipes {
    announce: [i32; 2],
    answer: [i32; 2],
}

fn pipe() -> Option<[i32; 2]> {
    let mut fds = [0; 2];
    // SAFETY: `fds` is a two-int out-buffer.
    (unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } == 0).then_some(fds)
}

fn close(fd: i32) {
    // SAFETY: a descriptor this module made and owns.
    unsafe { libc::close(fd) };
}

impl Pipes {
    /// None when the host cannot make pipes: the vfork is then a plain fork.
    pub fn new() -> Option<Pipes> {
        let announce = pipe()?;
        match pipe() {
            Some(answer) => Some(Pipes { announce, answer }),
            None => {
                announce.iter().for_each(|&fd| close(fd));
                None
            }
        }
    }

    /// In the child, right after the fork. The child's two descriptors move to the top of
    /// its descriptor range and are remu's, not the guest's ([`private_fds`]): a
    /// posix_spawn child closes everything from 3 up and may dup2 onto low numbers.
    pub fn child(self) {
        close(self.announce[0]);
        close(self.answer[1]);
        ANNOUNCE.store(out_of_the_way(self.announce[1]), Ordering::Relaxed);
        ANSWER.store(out_of_the_way(self.answer[0]), Ordering::Relaxed);
    }

    /// In the parent, right after the fork: waits for the child's exec or exit, taking back
    /// its writes to the guest stack area `[stack_start, stack_end)` if it exits.
    pub fn parent(self, mem: &GuestMemory, child: i32, stack: Option<(u64, u64)>) {
        close(self.announce[1]);
        close(self.answer[0]);
        let mut byte = 0u8;
        loop {
            // SAFETY: reads one byte into `byte`.
            let n = unsafe { libc::read(self.announce[0], (&mut byte as *mut u8).cast(), 1) };
            if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            if n == 1 {
                if let Some((start, end)) = stack {
                    take_back(mem, child, start, end);
                }
                // SAFETY: writes one byte from a local.
                unsafe { libc::write(self.answer[1], (&byte as *const u8).cast(), 1) };
            }
            break;
        }
        close(self.announce[0]);
        close(self.answer[1]);
    }
}

/// `fd` moved near the top of the descriptor limit (close-on-exec), or left where it is
/// if that fails.
fn out_of_the_way(fd: i32) -> i32 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `lim` is an out-buffer.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) };
    let floor = lim.rlim_cur.min(1 << 20).saturating_sub(16).max(3) as i32;
    // SAFETY: duplicates our own descriptor; no pointers.
    let moved = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, floor) };
    if moved < 0 {
        return fd;
    }
    close(fd);
    moved
}

/// The descriptors a vfork child holds for remu (-1 when none): the guest can neither use
/// nor close them.
pub fn private_fds() -> [i32; 2] {
    [ANNOUNCE.load(Ordering::Relaxed), ANSWER.load(Ordering::Relaxed)]
}

/// In a vfork child that is exiting: lets the parent read what it needs, then returns.
pub fn child_exits() {
    let (announce, answer) = (ANNOUNCE.swap(-1, Ordering::Relaxed), ANSWER.swap(-1, Ordering::Relaxed));
    if announce < 0 {
        return;
    }
    let byte = 1u8;
    // SAFETY: one byte out of and into locals, on this module's descriptors (if the guest
    // closed them, the calls fail and the parent simply continues).
    unsafe {
        if libc::write(announce, (&byte as *const u8).cast(), 1) == 1 {
            let mut ack = 0u8;
            libc::read(answer, (&mut ack as *mut u8).cast(), 1);
        }
    }
}

/// Copies into this process the pages of guest `[start, end)` that differ in `child`
/// (where guest memory is at the same host address, the child being a fork).
fn take_back(mem: &GuestMemory, child: i32, start: u64, end: u64) {
    const CHUNK: u64 = 64 * PAGE_SIZE;
    let mut buf = vec![0u8; CHUNK as usize];
    let mut at = start;
    while at < end {
        let len = CHUNK.min(end - at);
        // SAFETY: `[at, at + len)` is mapped guest memory of this process (the caller's
        // area), readable through the region's host pointer.
        let ours = unsafe { std::slice::from_raw_parts_mut(mem.base().add(at as usize), len as usize) };
        let local = libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: len as usize };
        let remote = libc::iovec { iov_base: ours.as_mut_ptr().cast(), iov_len: len as usize };
        // SAFETY: reads `len` bytes of the child into `buf`.
        let n = unsafe { libc::process_vm_readv(child, &local, 1, &remote, 1, 0) };
        if n != len as isize {
            return;
        }
        for (mine, theirs) in ours.chunks_mut(PAGE_SIZE as usize).zip(buf.chunks(PAGE_SIZE as usize)) {
            if mine != theirs {
                mine.copy_from_slice(theirs);
            }
        }
        at += len;
    }
}
