// Memory for the big arrays of a store: full column chunks (512 KiB) come
// from 2 MiB regions that ask the kernel for transparent huge pages, and
// index arrays of 2 MiB and more are such mappings of their own.
//
// Why: columns fill row after row, and each fresh 4 KiB page costs a page
// fault on first touch. On the virtual machines servers run on a fault is
// expensive (measured on this project's machine: 1.6 ms to touch 512 KiB of
// new memory page by page, 0.09 ms for a whole 2 MiB huge page), and it
// recurs with every chunk a growing table takes. A huge page also maps 512
// times the memory per TLB entry, so random reads of big columns walk fewer
// page tables. With transparent huge pages off, or none available, the
// kernel gives ordinary pages: slower, never wrong. The cost: with the
// kernel's defrag setting at `madvise` (its default) a fault may
// compact memory to find a huge page, a rare stall (a snapshot load's file
// buffer does not use huge pages for that reason: it saw 2.5× slower loads);
// and RSS counts whole 2 MiB pages (one partly used region per process, an
// array's mapping rounded up).
//
// Regions are shared by the whole process (four blocks each); a region goes
// back to the system when its four blocks are free, except one kept empty so
// that a table going back and forth over a chunk edge does not map and unmap
// in a loop. Thread-safe (one mutex, taken once per 512 KiB block): copies of
// columns held by an asynchronous snapshot free their chunks on its thread.
// Off Linux, blocks are plain aligned operator new.
#pragma once

#include <cstddef>
#include <memory>
#include <memory_resource>
#include <vector>

namespace relstore::detail {

inline constexpr std::size_t kLargeBlockBytes = std::size_t{512} * 1024;

// A block of kLargeBlockBytes, aligned to 4 KiB. Throws std::bad_alloc.
// Amortized O(1): maps a new 2 MiB region when no block is free.
void* allocateLargeBlock();
// Gives back a block from allocateLargeBlock(). O(1), except when it frees a
// whole region beyond the one kept empty (O(free blocks)).
void freeLargeBlock(void* block) noexcept;

// Arrays of at least this size (an index's per-id or per-row vector) are
// mapped directly, rounded up to whole huge pages.
inline constexpr std::size_t kHugeArrayMinBytes = std::size_t{2} * 1024 * 1024;

// `bytes` (at least kHugeArrayMinBytes) of zeroed memory on huge pages
// where the kernel has them, aligned to 2 MiB. Throws std::bad_alloc.
// O(1) (one mapping; pages are cleared on first touch).
void* allocateHugeArray(std::size_t bytes);
// Gives back an allocateHugeArray(bytes) with the same `bytes`. O(1).
void freeHugeArray(void* array, std::size_t bytes) noexcept;

// An allocator that sends the sizes `Policy::takes(bytes)` accepts to
// Policy::allocate/deallocate and every other size to std::allocator.
template <class T, class Policy>
struct RoutingAllocator {
  using value_type = T;
  RoutingAllocator() noexcept = default;
  template <class U>
  RoutingAllocator(const RoutingAllocator<U, Policy>&) noexcept {}

  T* allocate(std::size_t n) {
    if (Policy::takes(n * sizeof(T))) return static_cast<T*>(Policy::allocate(n * sizeof(T)));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (Policy::takes(n * sizeof(T))) {
      Policy::deallocate(p, n * sizeof(T));
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }
  template <class U>
  friend bool operator==(const RoutingAllocator&, const RoutingAllocator<U, Policy>&) noexcept {
    return true;
  }
};

// Column chunks: an allocation of exactly one large block (a full chunk of
// 8-byte values or of 16-byte text cells) takes one; smaller ones (the first chunk of
// a small table, growing) are ordinary, so small tables stay small.
struct LargeBlockPolicy {
  static bool takes(std::size_t bytes) noexcept { return bytes == kLargeBlockBytes; }
  static void* allocate(std::size_t) { return allocateLargeBlock(); }
  static void deallocate(void* p, std::size_t) noexcept { freeLargeBlock(p); }
};
template <class T>
using ChunkAllocator = RoutingAllocator<T, LargeBlockPolicy>;

// An index's big vectors (a slot per id, a position per row): from
// kHugeArrayMinBytes on they are huge-page mappings, so that a random lookup
// in a million-entry array does not miss the TLB as well.
struct HugeArrayPolicy {
  static bool takes(std::size_t bytes) noexcept { return bytes >= kHugeArrayMinBytes; }
  static void* allocate(std::size_t bytes) { return allocateHugeArray(bytes); }
  static void deallocate(void* p, std::size_t bytes) noexcept { freeHugeArray(p, bytes); }
};
template <class T>
using LargeArrayAllocator = RoutingAllocator<T, HugeArrayPolicy>;

template <class T>
using LargeVector = std::vector<T, LargeArrayAllocator<T>>;

// The same policy as a memory resource, for pools (an index's buckets):
// requests from kHugeArrayMinBytes on are huge-page mappings, smaller ones
// operator new. Thread-safe; lives for the whole process.
std::pmr::memory_resource* largeArrayResource() noexcept;

}  // namespace relstore::detail
