// Run-time CPU feature detection for the kernels of CAccsimKernels (see CAccsimKernels.h).

#include "CAccsimKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

#include <cpuid.h>

// XCR0: the operating system saves the YMM (bits 1-2) and ZMM/opmask (bits 5-7) state.
static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

unsigned accsim_cpu_features(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!osxsave || !avx) return 0;
    const unsigned long long xcr0 = read_xcr0();
    const int ymm = (xcr0 & 0x6) == 0x6, zmm = (xcr0 & 0xE6) == 0xE6;
    if (!ymm || __get_cpuid_max(0, 0) < 7) return 0;
    unsigned features = 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const int avx2 = (ebx >> 5) & 1;
    const int avx512f = (ebx >> 16) & 1, avx512dq = (ebx >> 17) & 1, avx512bw = (ebx >> 30) & 1;
    const int avx512vl = (ebx >> 31) & 1, avx512vnni = (ecx >> 11) & 1;
    if (avx2) features |= ACCSIM_CPU_AVX2;
    if (avx2 && zmm && avx512f && avx512dq && avx512bw && avx512vl && avx512vnni) features |= ACCSIM_CPU_AVX512_VNNI;
    unsigned int eax1, ebx1, ecx1, edx1;
    __cpuid_count(7, 1, eax1, ebx1, ecx1, edx1);
    if (avx2 && ((eax1 >> 4) & 1)) features |= ACCSIM_CPU_AVX_VNNI;
    (void)ebx1; (void)ecx1; (void)edx1;
    return features;
}

#elif defined(__aarch64__)

#if defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#ifndef HWCAP2_I8MM
#define HWCAP2_I8MM (1 << 13)
#endif
unsigned accsim_cpu_features(void) {
    unsigned features = ACCSIM_CPU_NEON;
    const unsigned long hwcap = getauxval(AT_HWCAP), hwcap2 = getauxval(AT_HWCAP2);
    if (hwcap & HWCAP_ASIMDDP) features |= ACCSIM_CPU_NEON_DOTPROD;
    if ((hwcap & HWCAP_ASIMDDP) && (hwcap2 & HWCAP2_I8MM)) features |= ACCSIM_CPU_NEON_I8MM;
    return features;
}
#elif defined(__APPLE__)
#include <sys/sysctl.h>
static int sysctl_flag(const char *name) {
    int value = 0;
    size_t size = sizeof value;
    return sysctlbyname(name, &value, &size, NULL, 0) == 0 && value != 0;
}
unsigned accsim_cpu_features(void) {
    unsigned features = ACCSIM_CPU_NEON;
    if (sysctl_flag("hw.optional.arm.FEAT_DotProd")) features |= ACCSIM_CPU_NEON_DOTPROD;
    if ((features & ACCSIM_CPU_NEON_DOTPROD) && sysctl_flag("hw.optional.arm.FEAT_I8MM")) features |= ACCSIM_CPU_NEON_I8MM;
    return features;
}
#else
unsigned accsim_cpu_features(void) { return ACCSIM_CPU_NEON; }
#endif

#else

unsigned accsim_cpu_features(void) { return 0; }

#endif

int accsim_cpu_has_avx512_vnni(void) { return (accsim_cpu_features() & ACCSIM_CPU_AVX512_VNNI) != 0; }

// The spin-wait hint: `pause` on x86 (frees the core's shared resources for the sibling thread
// and keeps the loop from flooding the memory order buffer), `yield` on AArch64.
void accsim_spin_pause(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}
