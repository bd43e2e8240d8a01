#include "storage/large_blocks.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define RELSTORE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RELSTORE_ASAN 1
#endif
#endif
#if defined(RELSTORE_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#endif

namespace relstore::detail {
namespace {

// Free blocks are poisoned under AddressSanitizer, so that a read through a
// stale chunk pointer is reported as it would be for heap memory.
void poison(void* block) noexcept {
#if defined(RELSTORE_ASAN)
  ASAN_POISON_MEMORY_REGION(block, kLargeBlockBytes);
#else
  (void)block;
#endif
}
void unpoison(void* block) noexcept {
#if defined(RELSTORE_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(block, kLargeBlockBytes);
#else
  (void)block;
#endif
}

#if defined(__linux__)

constexpr std::size_t kRegionBytes = std::size_t{2} * 1024 * 1024;  // one huge page
constexpr unsigned kBlocksPerRegion = kRegionBytes / kLargeBlockBytes;
constexpr unsigned kAllFree = (1u << kBlocksPerRegion) - 1;

// LeakSanitizer scans the heap and globals, not mappings: the strings a
// text chunk points to would look leaked while their store lives.
void registerRoot([[maybe_unused]] void* mapping, [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(RELSTORE_ASAN)
  __lsan_register_root_region(mapping, bytes);
#endif
}
void unregisterRoot([[maybe_unused]] void* mapping, [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(RELSTORE_ASAN)
  __lsan_unregister_root_region(mapping, bytes);
#endif
}

// A mapping of `bytes` rounded up to whole huge pages, aligned to one.
void* mapHuge(std::size_t bytes) {
  const std::size_t size = (bytes + kRegionBytes - 1) & ~(kRegionBytes - 1);
  void* mapped = ::mmap(nullptr, size + kRegionBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(mapped);
  const std::uintptr_t aligned = (start + kRegionBytes - 1) & ~(kRegionBytes - 1);
  if (aligned > start) ::munmap(mapped, aligned - start);
  if (const std::uintptr_t end = start + size + kRegionBytes; end > aligned + size) {
    ::munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  }
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // a hint: failure is fine
  registerRoot(reinterpret_cast<void*>(aligned), size);
  return reinterpret_cast<void*>(aligned);
}

void unmapHuge(void* mapping, std::size_t bytes) noexcept {
  const std::size_t size = (bytes + kRegionBytes - 1) & ~(kRegionBytes - 1);
  unregisterRoot(mapping, size);
  // AddressSanitizer's shadow outlives the mapping: a region unmapped with
  // its free blocks still poisoned would make the next mapping the kernel
  // places there (any mmap: a huge array, malloc's) report every access.
#if defined(RELSTORE_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(mapping, size);
#endif
  ::munmap(mapping, size);
}

class Regions {
 public:
  void* allocate() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) mapRegion();
    void* block = free_.back();
    free_.pop_back();
    unsigned& mask = freeMask_.at(regionOf(block));
    if (mask == kAllFree) --emptyRegions_;
    mask &= ~bitOf(block);
    unpoison(block);
    return block;
  }

  void release(void* block) noexcept {
    std::lock_guard lock(mutex_);
    poison(block);
    const std::uintptr_t region = regionOf(block);
    unsigned& mask = freeMask_.at(region);
    mask |= bitOf(block);
    free_.push_back(block);  // reserved at mapping: no allocation here
    if (mask != kAllFree) return;
    if (++emptyRegions_ <= 1) return;  // keep one empty region
    std::erase_if(free_, [&](void* b) { return regionOf(b) == region; });
    freeMask_.erase(region);
    --emptyRegions_;
    unmapHuge(reinterpret_cast<void*>(region), kRegionBytes);
  }

 private:
  static std::uintptr_t regionOf(const void* block) noexcept {
    return reinterpret_cast<std::uintptr_t>(block) & ~(kRegionBytes - 1);
  }
  static unsigned bitOf(const void* block) noexcept {
    return 1u << ((reinterpret_cast<std::uintptr_t>(block) & (kRegionBytes - 1)) / kLargeBlockBytes);
  }

  // Maps a 2 MiB region aligned to 2 MiB (a huge page can only back an
  // aligned range) and adds its blocks to the free list.
  void mapRegion() {
    // Room first, so that release() never allocates.
    free_.reserve((freeMask_.size() + 1) * kBlocksPerRegion);  // every block of every region
    freeMask_.reserve(freeMask_.size() + 1);
    const auto region = reinterpret_cast<std::uintptr_t>(mapHuge(kRegionBytes));
    freeMask_.emplace(region, kAllFree);
    ++emptyRegions_;
    for (unsigned i = kBlocksPerRegion; i-- > 0;) {  // the lowest block is handed out first
      void* block = reinterpret_cast<void*>(region + i * kLargeBlockBytes);
      poison(block);
      free_.push_back(block);
    }
  }

  std::mutex mutex_;
  std::vector<void*> free_;                           // free blocks, the next one handed out last
  std::unordered_map<std::uintptr_t, unsigned> freeMask_;  // region → its free blocks (bit i: block i)
  std::size_t emptyRegions_ = 0;                      // regions whose blocks are all free
};

// Never destroyed: stores (and snapshot copies of their columns) may free
// blocks during static destruction.
Regions& regions() {
  static Regions* r = new Regions;
  return *r;
}

#endif

}  // namespace

void* allocateLargeBlock() {
#if defined(__linux__)
  return regions().allocate();
#else
  return ::operator new(kLargeBlockBytes, std::align_val_t{4096});
#endif
}

void freeLargeBlock(void* block) noexcept {
#if defined(__linux__)
  regions().release(block);
#else
  ::operator delete(block, std::align_val_t{4096});
#endif
}

namespace {
class LargeArrayResource final : public std::pmr::memory_resource {
  // HugeArrayPolicy's sizes, at alignments a mapping gives (4 KiB at least).
  static bool takesHuge(std::size_t bytes, std::size_t alignment) noexcept {
    return HugeArrayPolicy::takes(bytes) && alignment <= 4096;
  }
  void* do_allocate(std::size_t bytes, std::size_t alignment) override {
    if (takesHuge(bytes, alignment)) return allocateHugeArray(bytes);
    return ::operator new(bytes, std::align_val_t{alignment});
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
    if (takesHuge(bytes, alignment)) {
      freeHugeArray(p, bytes);
    } else {
      ::operator delete(p, std::align_val_t{alignment});  // unsized: clang 14 declares no sized form by default
    }
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};
}  // namespace

std::pmr::memory_resource* largeArrayResource() noexcept {
  static LargeArrayResource* resource = new LargeArrayResource;  // never destroyed, like the regions
  return resource;
}

void* allocateHugeArray(std::size_t bytes) {
#if defined(__linux__)
  return mapHuge(bytes);
#else
  return ::operator new(bytes, std::align_val_t{4096});
#endif
}

void freeHugeArray(void* array, std::size_t bytes) noexcept {
#if defined(__linux__)
  unmapHuge(array, bytes);
#else
  ::operator delete(array, std::align_val_t{4096});
#endif
}

}  // namespace relstore::detail
