/* The cryptographic extension against published known answers: AES-128 encryption and
 * decryption of the FIPS-197 examples (Appendix B and C.1; round keys expanded offline as
 * in FIPS-197 section 5.2, the last one checked against Appendix A.1), one SHA-1 and one
 * SHA-256 compression of the padded message "abc" (FIPS 180-4 examples: a9993e36...,
 * ba7816bf...), SHA1H, and PMULL/PMULL2/PMUL (carry-less products checked bit by bit). */
#include "test.h"
    .arch armv8-a+crypto

TEST_START
    /* AES-128 encryption, FIPS-197 Appendix B: 9 rounds of AESE+AESMC, AESE, EOR */
    NEXT_TEST
    adr x19, keys_b
    ldq 0, 0x8d305a88a8f64332, 0x340737e0a2983131
    ldr q1, [x19, #0]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #16]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #32]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #48]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #64]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #80]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #96]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #112]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #128]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #144]
    aese v0.16b, v1.16b
    ldr q1, [x19, #160]
    eor v0.16b, v0.16b, v1.16b
    CHECKQ(0, 0xfb09dc021d842539, 0x320b6a19978511dc)
    /* ... and back: AESD+AESIMC with InvMixColumns applied to round keys 1..9 (by AESIMC) */
    NEXT_TEST
    ldr q1, [x19, #160]
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #144]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #128]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #112]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #96]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #80]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #64]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #48]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #32]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    aesimc v0.16b, v0.16b
    ldr q1, [x19, #16]
    aesimc v1.16b, v1.16b
    aesd v0.16b, v1.16b
    ldr q1, [x19]
    eor v0.16b, v0.16b, v1.16b
    CHECKQ(0, 0x8d305a88a8f64332, 0x340737e0a2983131)
    /* FIPS-197 Appendix C.1 */
    NEXT_TEST
    adr x19, keys_c1
    ldq 0, 0x7766554433221100, 0xffeeddccbbaa9988
    ldr q1, [x19, #0]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #16]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #32]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #48]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #64]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #80]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #96]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #112]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #128]
    aese v0.16b, v1.16b
    aesmc v0.16b, v0.16b
    ldr q1, [x19, #144]
    aese v0.16b, v1.16b
    ldr q1, [x19, #160]
    eor v0.16b, v0.16b, v1.16b
    CHECKQ(0, 0x30047b6ad8e0c469, 0x5ac5b47080b7cdd8)
    /* single steps: AESMC of the FIPS-197 column db 13 53 45 -> 8e 4d a1 bc, and AESIMC
     * undoes it; AESE with a zero key is ShiftRows+SubBytes (S(0) = 0x63) */
    TEST(x0, 0xbca14d8e, ldq 1, 0x455313db, 0; aesmc v0.16b, v1.16b; mov x0, v0.d[0])
    TEST(x0, 0x455313db, ldq 1, 0xbca14d8e, 0; aesimc v0.16b, v1.16b; mov x0, v0.d[0])
    TEST(x0, 0x6363636363636363, movi v0.16b, #0; movi v1.16b, #0; aese v0.16b, v1.16b; mov x0, v0.d[1])
    TEST(x0, 0x5252525252525252, movi v0.16b, #0; movi v1.16b, #0; aesd v0.16b, v1.16b; mov x0, v0.d[0])

    /* SHA-1 of "abc": one block, state in v0 (abcd) and s1 (e), W in v4..v7 */
    NEXT_TEST
    adr x19, abc_block
    ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [x19]
    rev32 v4.16b, v4.16b
    rev32 v5.16b, v5.16b
    rev32 v6.16b, v6.16b
    rev32 v7.16b, v7.16b
    adr x19, sha1_h0
    ldr q0, [x19]
    ldr s1, [x19, #16]
    mov v20.16b, v0.16b
    mov v21.16b, v1.16b
    li x1, 0x5a827999
    dup v16.4s, w1
    add v16.4s, v16.4s, v4.4s
    sha1h s3, s0
    sha1c q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v4.4s, v5.4s, v6.4s
    sha1su1 v4.4s, v7.4s
    li x1, 0x5a827999
    dup v16.4s, w1
    add v16.4s, v16.4s, v5.4s
    sha1h s3, s0
    sha1c q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v5.4s, v6.4s, v7.4s
    sha1su1 v5.4s, v4.4s
    li x1, 0x5a827999
    dup v16.4s, w1
    add v16.4s, v16.4s, v6.4s
    sha1h s3, s0
    sha1c q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v6.4s, v7.4s, v4.4s
    sha1su1 v6.4s, v5.4s
    li x1, 0x5a827999
    dup v16.4s, w1
    add v16.4s, v16.4s, v7.4s
    sha1h s3, s0
    sha1c q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v7.4s, v4.4s, v5.4s
    sha1su1 v7.4s, v6.4s
    li x1, 0x5a827999
    dup v16.4s, w1
    add v16.4s, v16.4s, v4.4s
    sha1h s3, s0
    sha1c q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v4.4s, v5.4s, v6.4s
    sha1su1 v4.4s, v7.4s
    li x1, 0x6ed9eba1
    dup v16.4s, w1
    add v16.4s, v16.4s, v5.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v5.4s, v6.4s, v7.4s
    sha1su1 v5.4s, v4.4s
    li x1, 0x6ed9eba1
    dup v16.4s, w1
    add v16.4s, v16.4s, v6.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v6.4s, v7.4s, v4.4s
    sha1su1 v6.4s, v5.4s
    li x1, 0x6ed9eba1
    dup v16.4s, w1
    add v16.4s, v16.4s, v7.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v7.4s, v4.4s, v5.4s
    sha1su1 v7.4s, v6.4s
    li x1, 0x6ed9eba1
    dup v16.4s, w1
    add v16.4s, v16.4s, v4.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v4.4s, v5.4s, v6.4s
    sha1su1 v4.4s, v7.4s
    li x1, 0x6ed9eba1
    dup v16.4s, w1
    add v16.4s, v16.4s, v5.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v5.4s, v6.4s, v7.4s
    sha1su1 v5.4s, v4.4s
    li x1, 0x8f1bbcdc
    dup v16.4s, w1
    add v16.4s, v16.4s, v6.4s
    sha1h s3, s0
    sha1m q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v6.4s, v7.4s, v4.4s
    sha1su1 v6.4s, v5.4s
    li x1, 0x8f1bbcdc
    dup v16.4s, w1
    add v16.4s, v16.4s, v7.4s
    sha1h s3, s0
    sha1m q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v7.4s, v4.4s, v5.4s
    sha1su1 v7.4s, v6.4s
    li x1, 0x8f1bbcdc
    dup v16.4s, w1
    add v16.4s, v16.4s, v4.4s
    sha1h s3, s0
    sha1m q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v4.4s, v5.4s, v6.4s
    sha1su1 v4.4s, v7.4s
    li x1, 0x8f1bbcdc
    dup v16.4s, w1
    add v16.4s, v16.4s, v5.4s
    sha1h s3, s0
    sha1m q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v5.4s, v6.4s, v7.4s
    sha1su1 v5.4s, v4.4s
    li x1, 0x8f1bbcdc
    dup v16.4s, w1
    add v16.4s, v16.4s, v6.4s
    sha1h s3, s0
    sha1m q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v6.4s, v7.4s, v4.4s
    sha1su1 v6.4s, v5.4s
    li x1, 0xca62c1d6
    dup v16.4s, w1
    add v16.4s, v16.4s, v7.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    sha1su0 v7.4s, v4.4s, v5.4s
    sha1su1 v7.4s, v6.4s
    li x1, 0xca62c1d6
    dup v16.4s, w1
    add v16.4s, v16.4s, v4.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    li x1, 0xca62c1d6
    dup v16.4s, w1
    add v16.4s, v16.4s, v5.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    li x1, 0xca62c1d6
    dup v16.4s, w1
    add v16.4s, v16.4s, v6.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    li x1, 0xca62c1d6
    dup v16.4s, w1
    add v16.4s, v16.4s, v7.4s
    sha1h s3, s0
    sha1p q0, s1, v16.4s
    mov v1.16b, v3.16b
    add v0.4s, v0.4s, v20.4s
    add v1.4s, v1.4s, v21.4s
    CHECKQ(0, 0x4706816aa9993e36, 0x7850c26cba3e2571)
    mov x0, v1.d[0]
    CHECK(x0, 0x9cd0d89d)
    TEST(x0, 0x40000000, li x1, 1; fmov s1, w1; sha1h s0, s1; mov x0, v0.d[0])
    TEST(x0, 0, ldq 1, 0xffffffff00000001, 1; sha1h s0, s1; mov x0, v0.d[1])

    /* SHA-256 of "abc": state v0 (abcd), v1 (efgh), W in v4..v7, K from a table */
    NEXT_TEST
    adr x19, abc_block
    ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [x19]
    rev32 v4.16b, v4.16b
    rev32 v5.16b, v5.16b
    rev32 v6.16b, v6.16b
    rev32 v7.16b, v7.16b
    adr x19, sha256_h0
    ld1 {v0.4s, v1.4s}, [x19]
    mov v20.16b, v0.16b
    mov v21.16b, v1.16b
    adr x20, sha256_k
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v4.4s
    sha256su0 v4.4s, v5.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v4.4s, v6.4s, v7.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v5.4s
    sha256su0 v5.4s, v6.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v5.4s, v7.4s, v4.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v6.4s
    sha256su0 v6.4s, v7.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v6.4s, v4.4s, v5.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v7.4s
    sha256su0 v7.4s, v4.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v7.4s, v5.4s, v6.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v4.4s
    sha256su0 v4.4s, v5.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v4.4s, v6.4s, v7.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v5.4s
    sha256su0 v5.4s, v6.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v5.4s, v7.4s, v4.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v6.4s
    sha256su0 v6.4s, v7.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v6.4s, v4.4s, v5.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v7.4s
    sha256su0 v7.4s, v4.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v7.4s, v5.4s, v6.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v4.4s
    sha256su0 v4.4s, v5.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v4.4s, v6.4s, v7.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v5.4s
    sha256su0 v5.4s, v6.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v5.4s, v7.4s, v4.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v6.4s
    sha256su0 v6.4s, v7.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v6.4s, v4.4s, v5.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v7.4s
    sha256su0 v7.4s, v4.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    sha256su1 v7.4s, v5.4s, v6.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v4.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v5.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v6.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    ld1 {v16.4s}, [x20], #16
    add v16.4s, v16.4s, v7.4s
    mov v2.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q2, v16.4s
    add v0.4s, v0.4s, v20.4s
    add v1.4s, v1.4s, v21.4s
    CHECKQ(0, 0x8f01cfeaba7816bf, 0x5dae2223414140de)
    CHECKQ(1, 0x96177a9cb00361a3, 0xf20015adb410ff61)

    /* PMULL (64 x 64 -> 128, both halves), PMULL 8 x 8 -> 16, PMUL */
    NEXT_TEST
    ldq 1, 0x87, 0x8000000000000001
    ldq 2, 0xffffffffffffffff, 0x8000000000000001
    pmull v0.1q, v1.1d, v2.1d
    CHECKQ(0, 0x7d, 0x7d)
    pmull2 v0.1q, v1.2d, v2.2d
    CHECKQ(0, 1, 0x4000000000000000)
    ldq 1, 0xdeadbeefcafebabe, 0
    ldq 2, 0x0123456789abcdef, 0
    pmull v0.1q, v1.1d, v2.1d
    CHECKQ(0, 0xf099825fe2af618a, 0x00c42fde8b6b5592)
    ldq 1, 0x0807060504030201, 0x0807060504030201
    ldq 2, 0xf00faa55110380ff, 0xf00faa55110380ff
    pmull v0.8h, v1.8b, v2.8b
    CHECKQ(0, 0x00440005010000ff, 0x0780002d03fc0101)
    pmull2 v0.8h, v1.16b, v2.16b
    CHECKQ(0, 0x00440005010000ff, 0x0780002d03fc0101)
    pmul v0.8b, v1.8b, v2.8b
    CHECKQ(0, 0x802dfc01440500ff, 0)
TEST_END

    .section .rodata
    .balign 16
keys_b:
    .quad 0xa6d2ae2816157e2b, 0x3c4fcf098815f7ab
    .quad 0xb12c548817fefaa0, 0x05766c2a3939a323
    .quad 0x43b9967af295c2f2, 0x7ff659737a803559
    .quad 0x3efe16477d47803d, 0x3b887a6d447e231e
    .quad 0x7f5b52a841a544ef, 0x00ad0bdb3b2571b6
    .quad 0x879d837cf8c6d1d4, 0xbc15f911bcb8f2ca
    .quad 0xfd3e0b117aa3886d, 0xfd9300ca4186f9db
    .quad 0xf3c95f5f0ef7544e, 0x4fdca64eb24fa684
    .quad 0xd2ba8db52173d2ea, 0x2f298d7f60f52b31
    .quad 0x21dcfa19f36677ac, 0x6e005c574129d128
    .quad 0x8925eec9a8f914d0, 0xa60c63b6c80c3fe1
keys_c1:
    .quad 0x0706050403020100, 0x0f0e0d0c0b0a0908
    .quad 0xfa72afd2fd74aad6, 0xfe76abd6f178a6da
    .quad 0xf1bd3d640bcf92b6, 0xfeb3306800c59bbe
    .quad 0xbfc9c2d24e74ffb6, 0x41bf6904bf0c596c
    .quad 0x033e3595bcf7f747, 0xfd8d05fdbc326cf9
    .quad 0xeb9d9fa9e8a3aa3c, 0xaa22f6ad57aff350
    .quad 0x9692a6f77d0f395e, 0x6b1fa30ac13d55a7
    .quad 0x8ce25fe31a70f914, 0x26c0a94e4ddf0a44
    .quad 0xb9651ca435874347, 0xd27abfaef4ba16e0
    .quad 0x685785f0d1329954, 0x4e972cbe9ced9310
    .quad 0x174a94e37f1d1113, 0xc5302b4d8ba707f3
abc_block:
    .byte 0x61, 0x62, 0x63, 0x80
    .fill 59, 1, 0
    .byte 0x18
sha1_h0:
    .word 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
    .balign 16
sha256_h0:
    .word 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
sha256_k:
    .word 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
    .word 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
    .word 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
    .word 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
    .word 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
    .word 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
    .word 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
    .word 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
    .word 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
