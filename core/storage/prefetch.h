// prefetchLine: a hint to start loading the cache line holding an address,
// for loops over scattered rows (an association's, an index's) that know
// which rows come next: their misses then overlap instead of queueing.
//
// GCC 12 silently drops __builtin_prefetch in some inlined member functions
// with branches (seen at -O1 and above: the whole call compiled to nothing),
// so on x86-64 the instruction is written out. Reads nothing, cannot fault.
#pragma once

namespace relstore::detail {

inline void prefetchLine(const void* address) noexcept {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
#endif
}

}  // namespace relstore::detail
