//! The cryptographic extension: AES round steps and SHA1/SHA256 hash updates, as the
//! Arm ARM defines them on 128-bit registers (byte i of a register is AES state byte i,
//! column-major; SHA words are 32-bit lanes, lane 0 lowest). PMULL lives with the other
//! widening ops (`advsimd::clmul`).

use crate::insn::{AesOp, CryptoOp, ShaOp};

/// Multiplication by x in GF(2^8) modulo the AES polynomial.
const fn xtime(b: u8) -> u8 {
    (b << 1) ^ if b & 0x80 != 0 { 0x1b } else { 0 }
}

const fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    r
}

/// The AES S-box: the multiplicative inverse (x^254) followed by the affine map.
const fn sbox() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let x = i as u8;
        // x^254 by square-and-multiply.
        let mut inv = 1u8;
        let mut base = x;
        let mut e = 254u32;
        while e != 0 {
            if e & 1 != 0 {
                inv = gmul(inv, base);
            }
            base = gmul(base, base);
            e >>= 1;
        }
        let s = inv ^ inv.rotate_left(1) ^ inv.rotate_left(2) ^ inv.rotate_left(3) ^ inv.rotate_left(4) ^ 0x63;
        t[i] = s;
        i += 1;
    }
    t
}

const fn inv_sbox() -> [u8; 256] {
    let s = sbox();
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[s[i] as usize] = i as u8;
        i += 1;
    }
    t
}

static SBOX: [u8; 256] = sbox();
static INV_SBOX: [u8; 256] = inv_sbox();

fn bytes(v: u128) -> [u8; 16] {
    v.to_le_bytes()
}

/// MixColumns (or its inverse) with the coefficients of row 0.
fn mix(v: u128, k: [u8; 4]) -> u128 {
    let b = bytes(v);
    let mut o = [0u8; 16];
    for c in 0..4 {
        let col = &b[4 * c..4 * c + 4];
        for r in 0..4 {
            o[4 * c + r] = (0..4).fold(0, |acc, j| acc ^ gmul(k[(j + 4 - r) % 4], col[j]));
        }
    }
    u128::from_le_bytes(o)
}

pub(crate) fn aes(op: AesOp, d: u128, n: u128) -> u128 {
    match op {
        AesOp::E | AesOp::D => {
            let s = bytes(d ^ n);
            let mut o = [0u8; 16];
            for c in 0..4 {
                for r in 0..4 {
                    // (Inv)ShiftRows moves row r by r columns, then (Inv)SubBytes.
                    if op == AesOp::E {
                        o[r + 4 * c] = SBOX[s[r + 4 * ((c + r) % 4)] as usize];
                    } else {
                        o[r + 4 * ((c + r) % 4)] = INV_SBOX[s[r + 4 * c] as usize];
                    }
                }
            }
            u128::from_le_bytes(o)
        }
        AesOp::Mc => mix(n, [2, 3, 1, 1]),
        AesOp::Imc => mix(n, [14, 11, 13, 9]),
    }
}

fn w(v: u128, i: usize) -> u32 {
    (v >> (32 * i)) as u32
}
fn from_words(x: [u32; 4]) -> u128 {
    x.iter().enumerate().fold(0, |acc, (i, &e)| acc | (e as u128) << (32 * i))
}

fn choose(x: u32, y: u32, z: u32) -> u32 {
    ((y ^ z) & x) ^ z
}
fn parity(x: u32, y: u32, z: u32) -> u32 {
    x ^ y ^ z
}
fn majority(x: u32, y: u32, z: u32) -> u32 {
    (x & y) | ((x | y) & z)
}

/// SHA1C/SHA1P/SHA1M: four rounds on the state x (a..d) and y (e).
fn sha1_rounds(x: u128, y: u32, wv: u128, f: fn(u32, u32, u32) -> u32) -> u128 {
    let mut x = [w(x, 0), w(x, 1), w(x, 2), w(x, 3)];
    let mut y = y;
    for e in 0..4 {
        let t = f(x[1], x[2], x[3]);
        y = y.wrapping_add(x[0].rotate_left(5)).wrapping_add(t).wrapping_add(w(wv, e));
        x[1] = x[1].rotate_left(30);
        // <Y, X> = ROL(Y:X, 32)
        let top = x[3];
        x = [y, x[0], x[1], x[2]];
        y = top;
    }
    from_words(x)
}

fn sha256_hash(x: u128, y: u128, wv: u128, part1: bool) -> u128 {
    let mut x = [w(x, 0), w(x, 1), w(x, 2), w(x, 3)];
    let mut y = [w(y, 0), w(y, 1), w(y, 2), w(y, 3)];
    for e in 0..4 {
        let chs = choose(y[0], y[1], y[2]);
        let maj = majority(x[0], x[1], x[2]);
        let s1 = y[0].rotate_right(6) ^ y[0].rotate_right(11) ^ y[0].rotate_right(25);
        let s0 = x[0].rotate_right(2) ^ x[0].rotate_right(13) ^ x[0].rotate_right(22);
        let t = y[3].wrapping_add(s1).wrapping_add(chs).wrapping_add(w(wv, e));
        x[3] = t.wrapping_add(x[3]);
        y[3] = t.wrapping_add(s0).wrapping_add(maj);
        // <Y, X> = ROL(Y:X, 32) on 256 bits.
        let (xt, yt) = (x[3], y[3]);
        x = [yt, x[0], x[1], x[2]];
        y = [xt, y[0], y[1], y[2]];
    }
    from_words(if part1 { x } else { y })
}

/// A SHA instruction: `d` is the destination's old value, `n` and `m` the sources.
pub(crate) fn sha(op: ShaOp, d: u128, n: u128, m: u128) -> u128 {
    match op {
        ShaOp::Sha1c => sha1_rounds(d, n as u32, m, choose),
        ShaOp::Sha1p => sha1_rounds(d, n as u32, m, parity),
        ShaOp::Sha1m => sha1_rounds(d, n as u32, m, majority),
        ShaOp::Sha1h => (n as u32).rotate_left(30) as u128,
        ShaOp::Sha1su0 => ((n << 64) | (d >> 64)) ^ d ^ m,
        ShaOp::Sha1su1 => {
            let t = d ^ (n >> 32);
            let ws = [
                w(t, 0).rotate_left(1),
                w(t, 1).rotate_left(1),
                w(t, 2).rotate_left(1),
                w(t, 3).rotate_left(1) ^ w(t, 0).rotate_left(2),
            ];
            from_words(ws)
        }
        ShaOp::Sha256h => sha256_hash(d, n, m, true),
        ShaOp::Sha256h2 => sha256_hash(n, d, m, false),
        ShaOp::Sha256su0 => {
            let t = (n << 96) | (d >> 32);
            let mut r = [0u32; 4];
            for (e, out) in r.iter_mut().enumerate() {
                let x = w(t, e);
                *out = (x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3)).wrapping_add(w(d, e));
            }
            from_words(r)
        }
        ShaOp::Sha256su1 => {
            let t0 = (m << 96) | (n >> 32);
            let mut r = [0u32; 4];
            let sig = |x: u32| x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10);
            for (e, out) in r.iter_mut().enumerate().take(2) {
                *out = sig(w(m, 2 + e)).wrapping_add(w(d, e)).wrapping_add(w(t0, e));
            }
            for e in 2..4 {
                r[e] = sig(r[e - 2]).wrapping_add(w(d, e)).wrapping_add(w(t0, e));
            }
            from_words(r)
        }
    }
}

// ---- SHA3, SHA512, SM3, SM4 ---------------------------------------------------------

fn d(v: u128, i: u32) -> u64 {
    (v >> (64 * i)) as u64
}
fn dd(lo: u64, hi: u64) -> u128 {
    lo as u128 | (hi as u128) << 64
}
fn ww(x: [u32; 4]) -> u128 {
    x.iter().enumerate().fold(0, |acc, (i, &v)| acc | (v as u128) << (32 * i))
}

/// SM4's S-box: the affine map (rows rotations of 0xd3, constant 0xd3) of the inverse in
/// GF(2^8) modulo x^8+x^7+x^6+x^5+x^4+x^2+1 of the same affine map of the input.
const fn sm4_sbox() -> [u8; 256] {
    const fn mul(mut a: u16, mut b: u16) -> u16 {
        let mut r = 0;
        while b != 0 {
            if b & 1 != 0 {
                r ^= a;
            }
            a <<= 1;
            if a & 0x100 != 0 {
                a ^= 0x1f5;
            }
            b >>= 1;
        }
        r
    }
    const fn affine(x: u8) -> u8 {
        let mut out = 0u8;
        let mut i = 0;
        while i < 8 {
            let row = 0xd3u8.rotate_right(i);
            out |= (((row & x).count_ones() & 1) as u8) << (7 - i);
            i += 1;
        }
        out ^ 0xd3
    }
    let mut t = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        let y = affine(x as u8) as u16;
        // y^254 is the inverse (0 for 0).
        let mut inv = 1u16;
        let mut k = 0;
        while k < 254 {
            inv = mul(inv, y);
            k += 1;
        }
        t[x] = affine(if y == 0 { 0 } else { inv as u8 });
        x += 1;
    }
    t
}

static SM4_SBOX: [u8; 256] = sm4_sbox();

fn sm4_round(state: u128, keys: u128, key_schedule: bool) -> u128 {
    let mut r = [w(state, 0), w(state, 1), w(state, 2), w(state, 3)];
    for i in 0..4 {
        let t = r[3] ^ r[2] ^ r[1] ^ w(keys, i);
        let b = t.to_le_bytes().map(|x| SM4_SBOX[x as usize]);
        let t = u32::from_le_bytes(b);
        let l = if key_schedule {
            t ^ t.rotate_left(13) ^ t.rotate_left(23)
        } else {
            t ^ t.rotate_left(2) ^ t.rotate_left(10) ^ t.rotate_left(18) ^ t.rotate_left(24)
        };
        r = [r[1], r[2], r[3], l ^ r[0]];
    }
    ww(r)
}

fn sigma0_512(x: u64) -> u64 {
    x.rotate_right(1) ^ x.rotate_right(8) ^ (x >> 7)
}
fn sigma1_512(x: u64) -> u64 {
    x.rotate_right(19) ^ x.rotate_right(61) ^ (x >> 6)
}

/// The SHA3, SHA512, SM3 and SM4 instructions: the new Vd from the old Vd and Vn, Vm, Va.
pub(crate) fn ext(op: CryptoOp, vd: u128, vn: u128, vm: u128, va: u128, imm: u8) -> u128 {
    match op {
        CryptoOp::Eor3 => vn ^ vm ^ va,
        CryptoOp::Bcax => vn ^ (vm & !va),
        CryptoOp::Rax1 => dd(d(vn, 0) ^ d(vm, 0).rotate_left(1), d(vn, 1) ^ d(vm, 1).rotate_left(1)),
        CryptoOp::Xar => {
            let x = vn ^ vm;
            dd(d(x, 0).rotate_right(imm as u32), d(x, 1).rotate_right(imm as u32))
        }
        CryptoOp::Sha512h => {
            let (x0, x1, y0, y1, w0, w1) = (d(vn, 0), d(vn, 1), d(vm, 0), d(vm, 1), d(vd, 0), d(vd, 1));
            let s1 = |v: u64| v.rotate_right(14) ^ v.rotate_right(18) ^ v.rotate_right(41);
            let hi = ((y1 & x0) ^ (!y1 & x1)).wrapping_add(s1(y1)).wrapping_add(w1);
            let tmp = hi.wrapping_add(y0);
            let lo = ((tmp & y1) ^ (!tmp & x0)).wrapping_add(s1(tmp)).wrapping_add(w0);
            dd(lo, hi)
        }
        CryptoOp::Sha512h2 => {
            let (x0, y0, y1, w0, w1) = (d(vn, 0), d(vm, 0), d(vm, 1), d(vd, 0), d(vd, 1));
            let s0 = |v: u64| v.rotate_right(28) ^ v.rotate_right(34) ^ v.rotate_right(39);
            let hi = ((x0 & y1) ^ (x0 & y0) ^ (y1 & y0)).wrapping_add(s0(y0)).wrapping_add(w1);
            let lo = ((hi & y0) ^ (hi & y1) ^ (y1 & y0)).wrapping_add(s0(hi)).wrapping_add(w0);
            dd(lo, hi)
        }
        CryptoOp::Sha512su0 => {
            let lo = d(vd, 0).wrapping_add(sigma0_512(d(vd, 1)));
            let hi = d(vd, 1).wrapping_add(sigma0_512(d(vn, 0)));
            dd(lo, hi)
        }
        CryptoOp::Sha512su1 => {
            let lo = d(vd, 0).wrapping_add(sigma1_512(d(vn, 0))).wrapping_add(d(vm, 0));
            let hi = d(vd, 1).wrapping_add(sigma1_512(d(vn, 1))).wrapping_add(d(vm, 1));
            dd(lo, hi)
        }
        CryptoOp::Sm3ss1 => {
            let t = w(vn, 3).rotate_left(12).wrapping_add(w(vm, 3)).wrapping_add(w(va, 3)).rotate_left(7);
            ww([0, 0, 0, t])
        }
        CryptoOp::Sm3tt1a | CryptoOp::Sm3tt1b => {
            let wj = w(vm, imm as usize & 3);
            let (d0, d1, d2, d3) = (w(vd, 0), w(vd, 1), w(vd, 2), w(vd, 3));
            let ss2 = w(vn, 3) ^ d3.rotate_left(12);
            let f = if op == CryptoOp::Sm3tt1a { d1 ^ d3 ^ d2 } else { (d3 & d1) | (d3 & d2) | (d1 & d2) };
            let tt1 = f.wrapping_add(d0).wrapping_add(ss2).wrapping_add(wj);
            ww([d1, d2.rotate_left(9), d3, tt1])
        }
        CryptoOp::Sm3tt2a | CryptoOp::Sm3tt2b => {
            let wj = w(vm, imm as usize & 3);
            let (d0, d1, d2, d3) = (w(vd, 0), w(vd, 1), w(vd, 2), w(vd, 3));
            let g = if op == CryptoOp::Sm3tt2a { d1 ^ d3 ^ d2 } else { (d3 & d2) | (!d3 & d1) };
            let tt2 = g.wrapping_add(d0).wrapping_add(w(vn, 3)).wrapping_add(wj);
            ww([d1, d2.rotate_left(19), d3, tt2 ^ tt2.rotate_left(9) ^ tt2.rotate_left(17)])
        }
        CryptoOp::Sm3partw1 => {
            let x = vd ^ vn;
            let mut r = [w(x, 0) ^ w(vm, 1).rotate_left(15), w(x, 1) ^ w(vm, 2).rotate_left(15), w(x, 2) ^ w(vm, 3).rotate_left(15), 0];
            let p1 = |v: u32| v ^ v.rotate_left(15) ^ v.rotate_left(23);
            for x in r.iter_mut().take(3) {
                *x = p1(*x);
            }
            r[3] = p1(w(x, 3) ^ r[0].rotate_left(15));
            ww(r)
        }
        CryptoOp::Sm3partw2 => {
            let tmp = ww([0, 1, 2, 3].map(|i| w(vn, i) ^ w(vm, i).rotate_left(7)));
            let mut r = vd ^ tmp;
            let t2 = w(tmp, 0).rotate_left(15);
            let t2 = t2 ^ t2.rotate_left(15) ^ t2.rotate_left(23);
            r ^= (t2 as u128) << 96;
            r
        }
        CryptoOp::Sm4e => sm4_round(vd, vn, false),
        CryptoOp::Sm4ekey => sm4_round(vn, vm, true),
    }
}
