/* pie: a static position-independent executable (ET_DYN, no interpreter) without libc.
 * Debian ships no rcrt1.o for riscv64, so glibc cannot build -static-pie; this program
 * relocates itself instead: _start finds _DYNAMIC and the load base (__ehdr_start),
 * applies the R_RISCV_RELATIVE (R_AARCH64_RELATIVE) relocations, then checks a table of
 * pointers, reads argc,
 * argv and the auxiliary vector (AT_PHDR, AT_PAGESZ, AT_ENTRY must agree with the
 * load base), and prints a fixed report with raw write/exit system calls. */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

#if defined(__aarch64__)
#define R_RELATIVE R_AARCH64_RELATIVE
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  mov x0, sp\n"
        "  bl start_c\n"
        "  brk #0\n");

static long sys3(long n, long a, long b, long c)
{
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x8 __asm__("x8") = n;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
    return x0;
}
#else
#define R_RELATIVE R_RISCV_RELATIVE
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  mv a0, sp\n"
        "  andi sp, sp, -16\n"
        "  call start_c\n"
        "  unimp\n");

static long sys3(long n, long a, long b, long c)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

#endif

static size_t len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void put(const char *s)
{
    sys3(64, 1, (long)s, (long)len(s));
}

static void put_num(unsigned long v)
{
    char buf[24];
    int i = 23;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(buf + i);
}

static __attribute__((noreturn)) void quit(int code)
{
    sys3(93, code, 0, 0);
    for (;;)
        ;
}

/* These need run-time relocation: absolute addresses stored in data. */
static const char word0[] = "relocated";
static const char word1[] = "pointers";
static const char word2[] = "work";
static const char *const table[] = { word0, word1, word2 };
static void (*const fn_ptr)(const char *) = put;
static int counter = 3;
static int *const counter_ptr = &counter;

int start_c(long *sp)
{
    uintptr_t base = (uintptr_t)&__ehdr_start;
    const Elf64_Rela *rela = 0;
    size_t relasz = 0, relaent = sizeof(Elf64_Rela);
    for (const Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_RELA)
            rela = (const Elf64_Rela *)(base + d->d_un.d_ptr);
        else if (d->d_tag == DT_RELASZ)
            relasz = d->d_un.d_val;
        else if (d->d_tag == DT_RELAENT)
            relaent = d->d_un.d_val;
    }
    size_t nrel = 0;
    for (size_t off = 0; rela && off < relasz; off += relaent) {
        const Elf64_Rela *r = (const Elf64_Rela *)((const char *)rela + off);
        if (ELF64_R_TYPE(r->r_info) == R_RELATIVE) {
            *(uintptr_t *)(base + r->r_offset) = base + (uintptr_t)r->r_addend;
            nrel++;
        } else {
            put("unexpected relocation type\n");
            quit(2);
        }
    }

    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    while (*envp)
        envp++;
    Elf64_auxv_t *aux = (Elf64_auxv_t *)(envp + 1);
    unsigned long phdr = 0, pagesz = 0, entry = 0, phent = 0;
    for (; aux->a_type != AT_NULL; aux++) {
        if (aux->a_type == AT_PHDR)
            phdr = aux->a_un.a_val;
        else if (aux->a_type == AT_PAGESZ)
            pagesz = aux->a_un.a_val;
        else if (aux->a_type == AT_ENTRY)
            entry = aux->a_un.a_val;
        else if (aux->a_type == AT_PHENT)
            phent = aux->a_un.a_val;
    }

    int fails = 0;
    put("static pie: ");
    for (int i = 0; i < 3; i++) {
        fn_ptr(table[i]);
        put(i < 2 ? " " : "\n");
    }
    if (nrel < 3) {
        put("too few relocations\n");
        fails++;
    }
    *counter_ptr += 4;
    put("counter via pointer: ");
    put_num((unsigned long)counter);
    put("\n");
    if (counter != 7)
        fails++;
    put("base page aligned: ");
    put((base & 4095) == 0 ? "yes\n" : "no\n");
    if (base & 4095)
        fails++;
    put("base nonzero: ");
    put(base != 0 ? "yes\n" : "no\n");
    put("ELF header type: ");
    put(__ehdr_start.e_type == ET_DYN ? "ET_DYN\n" : "other\n");
    put("AT_PHDR = base + e_phoff: ");
    put(phdr == base + __ehdr_start.e_phoff ? "yes\n" : "no\n");
    if (phdr != base + __ehdr_start.e_phoff)
        fails++;
    put("AT_ENTRY = base + e_entry: ");
    put(entry == base + __ehdr_start.e_entry ? "yes\n" : "no\n");
    if (entry != base + __ehdr_start.e_entry)
        fails++;
    put("AT_PHENT: ");
    put_num(phent);
    put(" AT_PAGESZ: ");
    put_num(pagesz);
    put("\nargc: ");
    put_num((unsigned long)argc);
    put("\n");
    for (long i = 1; i < argc; i++) {
        put("arg: ");
        put(argv[i]);
        put("\n");
    }
    quit(fails);
}
