//! Sockets, polling and event descriptors through `dispatch`: the structure translations
//! (epoll_event, sockaddr, msghdr with SCM_RIGHTS, pollfd, itimerspec, the pselect6 mask
//! pair) and the kernel's EFAULT/EINVAL answers for bad guest input.

use super::*;
use crate::linux::{net, poll};

const EINVAL: i64 = -(libc::EINVAL as i64);

// asm-generic numbers
const EPOLL_CREATE1: u64 = 20;
const EPOLL_CTL: u64 = 21;
const EPOLL_PWAIT: u64 = 22;
const PIPE2: u64 = 59;
const PSELECT6: u64 = 72;
const PPOLL: u64 = 73;
const TIMERFD_CREATE: u64 = 85;
const TIMERFD_SETTIME: u64 = 86;
const TIMERFD_GETTIME: u64 = 87;
const SOCKET: u64 = 198;
const SOCKETPAIR: u64 = 199;
const BIND: u64 = 200;
const GETSOCKNAME: u64 = 204;
const SETSOCKOPT: u64 = 208;
const GETSOCKOPT: u64 = 209;
const SENDMSG: u64 = 211;
const RECVMSG: u64 = 212;
const RECVMMSG: u64 = 243;
const SENDMMSG: u64 = 269;
const EPOLL_PWAIT2: u64 = 441;

fn pipe(t: &mut T) -> (u64, u64) {
    assert_eq!(t.call(PIPE2, &[BUF + 0xff00, O_CLOEXEC]), 0);
    let m = t.mem();
    (m.read_u32(BUF + 0xff00).unwrap() as u64, m.read_u32(BUF + 0xff04).unwrap() as u64)
}

fn close(t: &mut T, fds: &[u64]) {
    for &fd in fds {
        assert_eq!(t.call(CLOSE, &[fd]), 0);
    }
}

#[test]
fn epoll_event_layout_is_translated() {
    // Pure translation: the guest's 16 bytes (4 of padding) and the host's packed 12.
    let mut g = [0u8; 16];
    g[..4].copy_from_slice(&0x8000_0001u32.to_le_bytes());
    g[4..8].copy_from_slice(&[0xee; 4]);
    g[8..].copy_from_slice(&0x1122_3344_5566_7788u64.to_le_bytes());
    let h = poll::epoll_event_to_host(&g);
    assert_eq!(std::mem::size_of::<libc::epoll_event>(), 12);
    let (events, data) = (h.events, h.u64);
    assert_eq!((events, data), (0x8000_0001, 0x1122_3344_5566_7788));
    let back = poll::epoll_event_to_guest(&h);
    assert_eq!(&back[..4], &g[..4]);
    assert_eq!(&back[4..8], &[0; 4], "padding is zeroed");
    assert_eq!(&back[8..], &g[8..]);

    // Through the calls: a 64-bit data value survives ADD and the wait.
    let mut t = T::new();
    let ep = t.call(EPOLL_CREATE1, &[O_CLOEXEC]);
    assert!(ep >= 0);
    let ep = ep as u64;
    let (r, w) = pipe(&mut t);
    let ev = BUF + 0x100;
    t.mem().write_u32(ev, libc::EPOLLIN as u32).unwrap();
    t.mem().write_u64(ev + 8, 0xfedc_ba98_7654_3210).unwrap();
    assert_eq!(t.call(EPOLL_CTL, &[ep, 1, r, ev]), 0);
    // The event may live in read-only memory; an unmapped one is EFAULT; DEL ignores it.
    assert_eq!(t.call(EPOLL_CTL, &[ep, 1, w, UNMAPPED]), EFAULT);
    t.mem().write(BUF + 0x200, b"x").unwrap();
    assert_eq!(t.call(WRITE, &[w, BUF + 0x200, 1]), 1);
    let out = BUF + 0x1000;
    t.mem().write(out, &[0xa5; 64]).unwrap();
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, out, 4, 0, 0, 8]), 1);
    assert_eq!(t.mem().read_u32(out).unwrap(), libc::EPOLLIN as u32);
    assert_eq!(t.mem().read_u32(out + 4).unwrap(), 0);
    assert_eq!(t.mem().read_u64(out + 8).unwrap(), 0xfedc_ba98_7654_3210);
    assert_eq!(t.mem().read_u8(out + 16).unwrap(), 0xa5, "only one event written");
    // Bad input: maxevents 0 or too many, a wrong sigset size, an unwritable buffer when an
    // event is ready (EFAULT; level-triggered, so it stays ready).
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, out, 0, 0, 0, 8]), EINVAL);
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, out, (i32::MAX / 16 + 1) as u64, 0, 0, 8]), EINVAL);
    t.mem().write_u64(BUF + 0x300, 0).unwrap();
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, out, 4, 0, BUF + 0x300, 4]), EINVAL);
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, out, 4, 0, BUF + 0x300, 8]), 1);
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, RO, 4, 0, 0, 8]), EFAULT);
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, UNMAPPED, 4, 0, 0, 8]), EFAULT);
    // epoll_pwait2: a timespec timeout, read-only is fine, a bad one EFAULT or EINVAL.
    let ts = RO;
    assert_eq!(t.call(EPOLL_PWAIT2, &[ep, out, 4, ts, 0, 8]), 1);
    assert_eq!(t.call(EPOLL_PWAIT2, &[ep, out, 4, UNMAPPED, 0, 8]), EFAULT);
    t.mem().write_u64(BUF + 0x400, 0).unwrap();
    t.mem().write_u64(BUF + 0x408, 1_000_000_000).unwrap();
    assert_eq!(t.call(EPOLL_PWAIT2, &[ep, out, 4, BUF + 0x400, 0, 8]), EINVAL);
    assert_eq!(t.call(EPOLL_CTL, &[ep, 2, r, UNMAPPED]), 0);
    assert_eq!(t.call(EPOLL_PWAIT, &[ep, out, 4, 0, 0, 8]), 0);
    close(&mut t, &[ep, r, w]);
}

#[test]
fn sockaddr_passes_through_with_the_kernels_length_rules() {
    let mut t = T::new();
    let s = t.call(SOCKET, &[libc::AF_INET as u64, libc::SOCK_DGRAM as u64, 0]);
    assert!(s >= 0);
    let s = s as u64;
    // struct sockaddr_in 127.0.0.1:0
    let sa = BUF + 0x100;
    let mut b = [0u8; 16];
    b[..2].copy_from_slice(&(libc::AF_INET as u16).to_le_bytes());
    b[4..8].copy_from_slice(&[127, 0, 0, 1]);
    t.mem().write(sa, &b).unwrap();
    assert_eq!(t.call(BIND, &[s, sa, 129]), EINVAL);
    assert_eq!(t.call(BIND, &[s, sa, u32::MAX as u64]), EINVAL);
    assert_eq!(t.call(BIND, &[s, UNMAPPED, 16]), EFAULT);
    assert_eq!(t.call(BIND, &[s, sa, 16]), 0);
    assert_eq!(
        strace_line(&t, BIND, &[s, sa, 16], Action::Return(0)),
        format!("bind({s}, {{sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}}, 16) = 0")
    );
    // getsockname: the real length comes back; a short buffer gets the start of it.
    let out = BUF + 0x200;
    let len = BUF + 0x300;
    t.mem().write_u32(len, 128).unwrap();
    assert_eq!(t.call(GETSOCKNAME, &[s, out, len]), 0);
    assert_eq!(t.mem().read_u32(len).unwrap(), 16);
    assert_eq!(t.mem().read_u16(out).unwrap(), libc::AF_INET as u16);
    assert_ne!(t.mem().read_u16(out + 2).unwrap(), 0, "an ephemeral port");
    assert_eq!(t.mem().read_vec(out + 4, 4).unwrap(), [127, 0, 0, 1]);
    t.mem().write_u32(len, 2).unwrap();
    t.mem().write(out, &[0; 16]).unwrap();
    assert_eq!(t.call(GETSOCKNAME, &[s, out, len]), 0);
    assert_eq!(t.mem().read_u32(len).unwrap(), 16);
    assert_eq!(t.mem().read_u32(out + 2).unwrap(), 0, "nothing past the 2 bytes asked for");
    // A negative length is EINVAL; unreadable or unwritable pointers are EFAULT.
    t.mem().write_u32(len, u32::MAX).unwrap();
    assert_eq!(t.call(GETSOCKNAME, &[s, out, len]), EINVAL);
    t.mem().write_u32(len, 16).unwrap();
    assert_eq!(t.call(GETSOCKNAME, &[s, out, RO]), EFAULT);
    assert_eq!(t.call(GETSOCKNAME, &[s, RO, len]), EFAULT);
    assert_eq!(t.call(GETSOCKNAME, &[s, out, UNMAPPED]), EFAULT);
    assert_eq!(t.call(GETSOCKNAME, &[s, 0, len]), EFAULT);
    // Socket options: int values in place, the kernel's length checks.
    let val = BUF + 0x400;
    t.mem().write_u32(val, 1).unwrap();
    assert_eq!(t.call(SETSOCKOPT, &[s, 1, libc::SO_REUSEADDR as u64, val, u32::MAX as u64]), EINVAL);
    assert_eq!(t.call(SETSOCKOPT, &[s, 1, libc::SO_REUSEADDR as u64, UNMAPPED, 4]), EFAULT);
    assert_eq!(t.call(SETSOCKOPT, &[s, 1, libc::SO_REUSEADDR as u64, val, 4]), 0);
    t.mem().write_u32(val, 0).unwrap();
    t.mem().write_u32(len, 4).unwrap();
    assert_eq!(t.call(GETSOCKOPT, &[s, 1, libc::SO_REUSEADDR as u64, val, len]), 0);
    assert_eq!((t.mem().read_u32(val).unwrap(), t.mem().read_u32(len).unwrap()), (1, 4));
    t.mem().write_u32(len, u32::MAX).unwrap();
    assert_eq!(t.call(GETSOCKOPT, &[s, 1, libc::SO_REUSEADDR as u64, val, len]), EINVAL);
    // Options carrying pointers remu does not translate are refused.
    t.mem().write_u32(len, 64).unwrap();
    assert_eq!(t.call(GETSOCKOPT, &[s, 6, 35, val, len]), -(libc::ENOPROTOOPT as i64));
    assert_eq!(t.call(SOCKET, &[libc::AF_INET as u64, 99, 0]), EINVAL);
    close(&mut t, &[s]);
}

#[test]
fn strace_shows_socket_addresses() {
    use crate::linux::strace::sockaddr;
    let mut un = vec![1, 0];
    un.extend_from_slice(b"/tmp/s\0\0\0");
    assert_eq!(sockaddr(&un), "{sa_family=AF_UNIX, sun_path=\"/tmp/s\"}");
    assert_eq!(sockaddr(&[1, 0, 0, b'a', b'b']), "{sa_family=AF_UNIX, sun_path=@\"ab\"}");
    let mut in6 = vec![10, 0, 0x1f, 0x90, 0, 0, 0, 0];
    in6.extend_from_slice(&std::net::Ipv6Addr::LOCALHOST.octets());
    in6.extend_from_slice(&[0; 4]);
    assert_eq!(
        sockaddr(&in6),
        "{sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}"
    );
    assert_eq!(sockaddr(&[16, 0, 0, 0]), "{sa_family=AF_NETLINK}");
    let t = T::new();
    assert_eq!(
        strace_line(&t, SOCKET, &[2, 1 | 0o2000000, 0], Action::Return(3)),
        "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3"
    );
}

/// Writes a guest msghdr at `at`.
fn msghdr(t: &T, at: u64, name: (u64, u32), iov: (u64, u64), control: (u64, u64)) {
    let m = t.mem();
    m.write_u64(at, name.0).unwrap();
    m.write_u64(at + 8, name.1 as u64).unwrap();
    m.write_u64(at + 16, iov.0).unwrap();
    m.write_u64(at + 24, iov.1).unwrap();
    m.write_u64(at + 32, control.0).unwrap();
    m.write_u64(at + 40, control.1).unwrap();
    m.write_u64(at + 48, 0).unwrap();
}

#[test]
fn msghdr_and_scm_rights_round_trip() {
    let mut t = T::new();
    assert_eq!(t.call(SOCKETPAIR, &[libc::AF_UNIX as u64, libc::SOCK_STREAM as u64, 0, BUF]), 0);
    let (a, b) = (t.mem().read_u32(BUF).unwrap() as u64, t.mem().read_u32(BUF + 4).unwrap() as u64);
    assert_eq!(t.call(SOCKETPAIR, &[libc::AF_UNIX as u64, libc::SOCK_STREAM as u64, 0, RO]), EFAULT);
    let (pr, pw) = pipe(&mut t);

    // Two iovecs out, a cmsghdr { len 20, SOL_SOCKET, SCM_RIGHTS, fd } (CMSG_SPACE = 24).
    let m = t.mem();
    m.write(BUF + 0x100, b"hello, ").unwrap();
    m.write(BUF + 0x110, b"world").unwrap();
    let iov = BUF + 0x200;
    m.write_u64(iov, BUF + 0x100).unwrap();
    m.write_u64(iov + 8, 7).unwrap();
    m.write_u64(iov + 16, BUF + 0x110).unwrap();
    m.write_u64(iov + 24, 5).unwrap();
    let ctl = BUF + 0x300;
    m.write_u64(ctl, 20).unwrap();
    m.write_u32(ctl + 8, libc::SOL_SOCKET as u32).unwrap();
    m.write_u32(ctl + 12, libc::SCM_RIGHTS as u32).unwrap();
    m.write_u32(ctl + 16, pr as u32).unwrap();
    m.write_u32(ctl + 20, 0).unwrap();
    let hdr = BUF + 0x400;
    msghdr(&t, hdr, (0, 0), (iov, 2), (ctl, 24));
    assert_eq!(t.call(SENDMSG, &[a, hdr, 0]), 12);

    // Receive into one iovec with a 64-byte control buffer.
    let rbuf = BUF + 0x1000;
    let riov = BUF + 0x500;
    t.mem().write_u64(riov, rbuf).unwrap();
    t.mem().write_u64(riov + 8, 64).unwrap();
    let rctl = BUF + 0x600;
    t.mem().write(rctl, &[0; 64]).unwrap();
    let rhdr = BUF + 0x700;
    msghdr(&t, rhdr, (0, 0), (riov, 1), (rctl, 64));
    // A read-only msghdr is refused before anything is received.
    assert_eq!(t.call(RECVMSG, &[b, RO, 0]), EFAULT);
    assert_eq!(t.call(RECVMSG, &[b, rhdr, libc::MSG_CMSG_CLOEXEC as u64]), 12);
    assert_eq!(t.mem().read_vec(rbuf, 12).unwrap(), b"hello, world");
    assert_eq!(t.mem().read_u64(rhdr + 40).unwrap(), 24, "msg_controllen");
    // The kernel reports the MSG_CMSG_CLOEXEC it was given in msg_flags.
    assert_eq!(t.mem().read_u32(rhdr + 48).unwrap(), libc::MSG_CMSG_CLOEXEC as u32, "msg_flags");
    assert_eq!(t.mem().read_u64(rctl).unwrap(), 20);
    assert_eq!(t.mem().read_u32(rctl + 12).unwrap(), libc::SCM_RIGHTS as u32);
    let got = t.mem().read_u32(rctl + 16).unwrap() as u64;
    assert_ne!(got, pr);
    // The received descriptor is the pipe's read end.
    t.mem().write(BUF + 0x800, b"via").unwrap();
    assert_eq!(t.call(WRITE, &[pw, BUF + 0x800, 3]), 3);
    assert_eq!(t.call(READ, &[got, BUF + 0x900, 3]), 3);
    assert_eq!(t.mem().read_vec(BUF + 0x900, 3).unwrap(), b"via");

    // The kernel's msghdr checks.
    msghdr(&t, hdr, (0, 0), (iov, 1025), (0, 0));
    assert_eq!(t.call(SENDMSG, &[a, hdr, 0]), -(libc::EMSGSIZE as i64));
    msghdr(&t, hdr, (0, 0), (iov, 1), (UNMAPPED, 1 << 40));
    assert_eq!(t.call(SENDMSG, &[a, hdr, 0]), -(libc::ENOBUFS as i64));
    msghdr(&t, hdr, (BUF + 0xa00, u32::MAX), (iov, 1), (0, 0));
    assert_eq!(t.call(SENDMSG, &[a, hdr, 0]), EINVAL);
    msghdr(&t, hdr, (0, 0), (UNMAPPED, 1), (0, 0));
    assert_eq!(t.call(SENDMSG, &[a, hdr, 0]), EFAULT);
    assert_eq!(t.call(SENDMSG, &[a, UNMAPPED, 0]), EFAULT);
    // A NULL name with a length: the length is ignored, as the kernel does.
    msghdr(&t, hdr, (0, 50), (iov, 1), (0, 0));
    let hm = net::read_msghdr(t.mem(), hdr, crate::isa::Access::Read).unwrap();
    assert_eq!(hm.hdr.msg_iovlen, 1);
    assert_eq!(hm.hdr.msg_namelen, 0);
    close(&mut t, &[a, b, pr, pw, got]);
}

#[test]
fn mmsg_batches_write_back_lengths() {
    let mut t = T::new();
    assert_eq!(t.call(SOCKETPAIR, &[libc::AF_UNIX as u64, libc::SOCK_DGRAM as u64, 0, BUF]), 0);
    let (a, b) = (t.mem().read_u32(BUF).unwrap() as u64, t.mem().read_u32(BUF + 4).unwrap() as u64);
    let m = t.mem();
    // Two datagrams of 3 and 5 bytes.
    m.write(BUF + 0x100, b"onethree").unwrap();
    let iov = BUF + 0x200;
    m.write_u64(iov, BUF + 0x100).unwrap();
    m.write_u64(iov + 8, 3).unwrap();
    m.write_u64(iov + 16, BUF + 0x103).unwrap();
    m.write_u64(iov + 24, 5).unwrap();
    let vec = BUF + 0x400;
    msghdr(&t, vec, (0, 0), (iov, 1), (0, 0));
    msghdr(&t, vec + 64, (0, 0), (iov + 16, 1), (0, 0));
    assert_eq!(t.call(SENDMMSG, &[a, vec, 2, 0]), 2);
    assert_eq!(t.mem().read_u32(vec + 56).unwrap(), 3);
    assert_eq!(t.mem().read_u32(vec + 64 + 56).unwrap(), 5);
    // Receive with room for three: two arrive.
    let riov = BUF + 0x800;
    for i in 0..3u64 {
        t.mem().write_u64(riov + i * 16, BUF + 0x1000 + i * 0x100).unwrap();
        t.mem().write_u64(riov + i * 16 + 8, 16).unwrap();
        msghdr(&t, BUF + 0xc00 + i * 64, (0, 0), (riov + i * 16, 1), (0, 0));
    }
    assert_eq!(t.call(RECVMMSG, &[b, BUF + 0xc00, 3, libc::MSG_DONTWAIT as u64, 0]), 2);
    assert_eq!(t.mem().read_u32(BUF + 0xc00 + 56).unwrap(), 3);
    assert_eq!(t.mem().read_u32(BUF + 0xc40 + 56).unwrap(), 5);
    assert_eq!(t.mem().read_vec(BUF + 0x1100, 5).unwrap(), b"three");
    // A bad first entry is the error; a bad vector pointer too.
    assert_eq!(t.call(SENDMMSG, &[a, UNMAPPED, 2, 0]), EFAULT);
    close(&mut t, &[a, b]);
}

#[test]
fn ppoll_and_pselect6_copy_like_the_kernel() {
    let mut t = T::new();
    let (r, w) = pipe(&mut t);
    // struct pollfd[2]: the read end (POLLIN) and the write end (POLLOUT).
    let fds = BUF + 0x100;
    let m = t.mem();
    m.write_u32(fds, r as u32).unwrap();
    m.write_u32(fds + 4, libc::POLLIN as u32 | 0xffff_0000).unwrap();
    m.write_u32(fds + 8, w as u32).unwrap();
    m.write_u32(fds + 12, libc::POLLOUT as u32).unwrap();
    let ts = BUF + 0x200;
    m.write_u64(ts, 0).unwrap();
    m.write_u64(ts + 8, 0).unwrap();
    assert_eq!(t.call(PPOLL, &[fds, 2, ts, 0, 8]), 1);
    assert_eq!(t.mem().read_u16(fds + 6).unwrap(), 0, "revents replaced");
    assert_eq!(t.mem().read_u16(fds + 14).unwrap(), libc::POLLOUT as u16);
    // A read-only timeout is fine (the time left is simply not written back); a read-only
    // array is EFAULT; bad sizes and times are EINVAL.
    assert_eq!(t.call(PPOLL, &[fds, 2, RO, 0, 8]), 1);
    assert_eq!(t.call(PPOLL, &[RO, 1, ts, 0, 8]), EFAULT);
    assert_eq!(t.call(PPOLL, &[fds, 2, UNMAPPED, 0, 8]), EFAULT);
    let mask = BUF + 0x300;
    t.mem().write_u64(mask, 1 << (libc::SIGUSR1 - 1)).unwrap();
    assert_eq!(t.call(PPOLL, &[fds, 2, ts, mask, 4]), EINVAL);
    assert_eq!(t.call(PPOLL, &[fds, 2, ts, mask, 8]), 1);
    assert_eq!(t.call(PPOLL, &[fds, 2, ts, UNMAPPED, 8]), EFAULT);
    t.mem().write_u64(ts + 8, 1_000_000_000).unwrap();
    assert_eq!(t.call(PPOLL, &[fds, 2, ts, 0, 8]), EINVAL);
    t.mem().write_u64(ts + 8, 0).unwrap();

    // pselect6: fd_set words in place, the { sigset*, size } pair translated.
    let (rs, ws) = (BUF + 0x400, BUF + 0x500);
    t.mem().write_u64(rs, 1 << r).unwrap();
    t.mem().write_u64(ws, 1 << w).unwrap();
    let pair = BUF + 0x600;
    t.mem().write_u64(pair, mask).unwrap();
    t.mem().write_u64(pair + 8, 8).unwrap();
    assert_eq!(t.call(PSELECT6, &[w + 1, rs, ws, 0, ts, pair]), 1);
    assert_eq!(t.mem().read_u64(rs).unwrap(), 0);
    assert_eq!(t.mem().read_u64(ws).unwrap(), 1 << w);
    t.mem().write_u64(pair + 8, 16).unwrap();
    assert_eq!(t.call(PSELECT6, &[w + 1, rs, ws, 0, ts, pair]), EINVAL);
    assert_eq!(t.call(PSELECT6, &[w + 1, rs, ws, 0, ts, UNMAPPED]), EFAULT);
    assert_eq!(t.call(PSELECT6, &[w + 1, UNMAPPED, ws, 0, ts, 0]), EFAULT);
    assert_eq!(t.call(PSELECT6, &[-1i64 as u64, 0, 0, 0, ts, 0]), EINVAL);
    close(&mut t, &[r, w]);
}

#[test]
fn guest_sigmask_keeps_remus_fault_signals() {
    let mut t = T::new();
    let c = crate::linux::syscall::Ctx { p: &t.p, mem: &t.p.mem, cpu: &mut t.cpu };
    let all = u64::MAX;
    let host = poll::guest_sigmask_for_host(&c, all);
    for sig in [libc::SIGSEGV, libc::SIGBUS, libc::SIGKILL, libc::SIGSTOP] {
        assert_eq!(host & (1 << (sig - 1)), 0, "signal {sig}");
    }
    assert_ne!(host & (1 << (libc::SIGUSR1 - 1)), 0);
}

#[test]
fn timerfd_itimerspec_in_and_out() {
    let mut t = T::new();
    let fd = t.call(TIMERFD_CREATE, &[libc::CLOCK_MONOTONIC as u64, O_CLOEXEC]);
    assert!(fd >= 0);
    let fd = fd as u64;
    // interval 1 s 5 ns, value 100 s
    let new = BUF + 0x100;
    for (i, v) in [1u64, 5, 100, 0].iter().enumerate() {
        t.mem().write_u64(new + i as u64 * 8, *v).unwrap();
    }
    let old = BUF + 0x200;
    t.mem().write(old, &[0xff; 32]).unwrap();
    assert_eq!(t.call(TIMERFD_SETTIME, &[fd, 0, new, old]), 0);
    assert_eq!(t.mem().read_vec(old, 32).unwrap(), [0; 32], "it was disarmed");
    let cur = BUF + 0x300;
    assert_eq!(t.call(TIMERFD_GETTIME, &[fd, cur]), 0);
    assert_eq!(t.mem().read_u64(cur).unwrap(), 1);
    assert_eq!(t.mem().read_u64(cur + 8).unwrap(), 5);
    let left = t.mem().read_u64(cur + 16).unwrap();
    assert!((98..=100).contains(&left), "{left} s left");
    assert_eq!(t.call(TIMERFD_GETTIME, &[fd, RO]), EFAULT);
    assert_eq!(t.call(TIMERFD_SETTIME, &[fd, 0, UNMAPPED, 0]), EFAULT);
    // The timer is set even when the old value cannot be written back.
    assert_eq!(t.call(TIMERFD_SETTIME, &[fd, 0, new, RO]), EFAULT);
    t.mem().write_u64(new + 8, 1_000_000_000).unwrap();
    assert_eq!(t.call(TIMERFD_SETTIME, &[fd, 0, new, 0]), EINVAL);
    // Nothing expired: a non-blocking read would wait, so check with ppoll instead.
    let fds = BUF + 0x400;
    t.mem().write_u32(fds, fd as u32).unwrap();
    t.mem().write_u32(fds + 4, libc::POLLIN as u32).unwrap();
    t.mem().write(BUF + 0x500, &[0; 16]).unwrap();
    assert_eq!(t.call(PPOLL, &[fds, 1, BUF + 0x500, 0, 8]), 0);
    close(&mut t, &[fd]);
}

#[test]
fn the_table_has_the_io_calls() {
    for name in [
        "socket", "socketpair", "bind", "listen", "accept", "accept4", "connect", "getsockname", "getpeername",
        "sendto", "recvfrom", "setsockopt", "getsockopt", "shutdown", "sendmsg", "recvmsg", "sendmmsg",
        "recvmmsg", "ppoll", "pselect6", "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2",
        "eventfd2", "timerfd_create", "timerfd_settime", "timerfd_gettime", "inotify_init1",
        "inotify_add_watch", "inotify_rm_watch", "splice", "tee", "vmsplice", "sendfile", "copy_file_range",
        "memfd_create", "flock", "sync", "syncfs", "truncate", "fchown", "fchownat",
    ] {
        assert!(table::GENERIC.iter().any(|(_, e)| e.name == name), "{name} missing");
    }
}

#[test]
fn classic_bpf_filters_get_a_host_pointer() {
    let mut t = T::new();
    let s = t.call(SOCKET, &[libc::AF_INET as u64, libc::SOCK_DGRAM as u64, 0]);
    assert!(s >= 0);
    let s = s as u64;
    // One instruction, "ret #0xffffffff" (accept everything): BPF_RET|BPF_K = 0x06.
    let insn = BUF + 0x100;
    t.mem().write_u64(insn, 0xffff_ffff_0000_0006).unwrap();
    // struct sock_fprog { u16 len; (pad) struct sock_filter *filter; } holds a guest pointer.
    let prog = BUF + 0x200;
    t.mem().write_u64(prog, 1).unwrap();
    t.mem().write_u64(prog + 8, insn).unwrap();
    assert_eq!(t.call(SETSOCKOPT, &[s, 1, libc::SO_ATTACH_FILTER as u64, prog, 16]), 0);
    t.mem().write_u64(prog + 8, UNMAPPED).unwrap();
    assert_eq!(t.call(SETSOCKOPT, &[s, 1, libc::SO_ATTACH_FILTER as u64, prog, 16]), EFAULT);
    assert_eq!(t.call(SETSOCKOPT, &[s, 1, libc::SO_ATTACH_FILTER as u64, prog, 8]), EINVAL);
    close(&mut t, &[s]);
}
