// The values of a column: an array in chunks of 2^Shift elements (64Ki by
// default) that copies share until one of them writes (copy-on-write per
// chunk).
//
// Why: an asynchronous snapshot must capture a point-in-time copy of every
// column without stalling the caller. Copying a CowChunks copies only its
// chunk pointers (a few per million rows); whoever writes to a shared chunk
// first copies that one chunk (512 KiB for 64-bit values and for text
// cells, tens of microseconds, plus a text's buffer when longer than 15
// bytes), so a write after a capture
// costs at most one chunk copy,
// never a column copy. Chunks also make appends cheap at any size: the array
// never moves a full chunk (no vector-doubling stall after a bulk insert).
//
// Reads are one more (cached) indirection than a plain vector: `data_[i >> 16]`
// is a small table of chunk addresses. A chunk is either its own vector or
// a view into a whole column adopted without copying (a snapshot load), which
// its chunks share; a view chunk that must grow beyond its range becomes its
// own vector first.
//
// Threads: copies may be read and destroyed on other threads while the
// original is written (shared chunks are never written in place). The usual
// rule otherwise: one writer, no concurrent readers of the same object.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "storage/large_blocks.h"

namespace relstore::detail {

template <class T, std::uint32_t Shift = 16>
class CowChunks {
 public:
  static constexpr std::uint32_t kShift = Shift;
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static constexpr std::size_t kMask = kChunk - 1;

  CowChunks() = default;
  // Copies share every chunk: O(chunks). Later writes to either side copy
  // the chunk they touch first.
  CowChunks(const CowChunks&) = default;
  CowChunks& operator=(const CowChunks&) = default;
  CowChunks(CowChunks&& other) noexcept
      : chunks_(std::move(other.chunks_)), data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
  CowChunks& operator=(CowChunks&& other) noexcept {
    chunks_ = std::move(other.chunks_);
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  // Takes `values` as the contents without copying them.
  static CowChunks adopt(std::vector<T> values) {
    CowChunks out;
    out.size_ = values.size();
    if (values.empty()) return out;
    auto whole = std::make_shared<std::vector<T>>(std::move(values));
    for (std::size_t begin = 0; begin < whole->size(); begin += kChunk) {
      auto chunk = std::make_shared<Chunk>();
      chunk->adopted = whole;
      chunk->data = whole->data() + begin;
      chunk->capacity = std::min(kChunk, whole->size() - begin);
      out.data_.push_back(chunk->data);
      out.chunks_.push_back(std::move(chunk));
    }
    return out;
  }

  std::size_t size() const noexcept { return size_; }
  const T& operator[](std::size_t i) const noexcept { return data_[i >> kShift][i & kMask]; }
  // The table of chunk addresses operator[] reads: element i is at
  // chunkTable()[i >> kShift][i & kMask]. The reference (not its contents)
  // holds while this array lives.
  const std::vector<T*>& chunkTable() const noexcept { return data_; }
  // Element `i` for writing: its chunk becomes this array's own first.
  T& mutableAt(std::size_t i) { return writable(i >> kShift)[i & kMask]; }

  void push_back(T value) {
    const std::size_t c = size_ >> kShift;
    const std::size_t offset = size_ & kMask;
    if (c == chunks_.size()) {
      auto chunk = std::make_shared<Chunk>();
      chunk->values.reserve(c == 0 ? 16 : kChunk);  // small tables stay small
      chunk->data = chunk->values.data();
      chunk->capacity = chunk->values.capacity();
      chunks_.push_back(std::move(chunk));
      data_.push_back(chunks_.back()->data);
    }
    writable(c);
    Chunk& chunk = *chunks_[c];
    if (!chunk.own()) makeOwn(c, offset + 1);
    Values& storage = chunk.values;
    if (storage.size() < storage.capacity()) {  // the usual append: no address changes
      storage.push_back(std::move(value));
    } else {
      storage.reserve(std::min(kChunk, std::max<std::size_t>(16, 2 * storage.size())));
      storage.push_back(std::move(value));
      chunk.data = storage.data();
      chunk.capacity = storage.capacity();
      data_[c] = chunk.data;
    }
    ++size_;
  }

  void pop_back() {
    const std::size_t last = size_ - 1;
    const std::size_t c = last >> kShift;
    if ((last & kMask) == 0) {  // the chunk empties: drop it (copies keep theirs)
      chunks_.pop_back();
      data_.pop_back();
    } else {
      writable(c);
      Chunk& chunk = *chunks_[c];
      if (chunk.own()) chunk.values.pop_back();
      // A view keeps its range; the slot past size_ is simply unused.
    }
    size_ = last;
  }

  // Calls f(values, firstIndex) for each chunk in order.
  template <class F>
  void forEachChunk(F&& f) const {
    for (std::size_t c = 0; c < data_.size(); ++c) {
      const std::size_t first = c << kShift;
      f(std::span<const T>(data_[c], std::min(kChunk, size_ - first)), first);
    }
  }

  // Bytes held (chunks shared with copies counted whole).
  std::size_t memoryUsage() const {
    std::size_t bytes = chunks_.capacity() * sizeof(chunks_[0]) + data_.capacity() * sizeof(T*);
    for (const auto& chunk : chunks_) bytes += sizeof(Chunk) + chunk->capacity * sizeof(T);
    return bytes;
  }

 private:
  // A chunk's own elements: full chunks of 8-byte values and of text
  // cells take a large block (huge-page backed, see large_blocks.h).
  using Values = std::vector<T, ChunkAllocator<T>>;
  struct Chunk {
    Values values;                                // this chunk's elements, when own
    std::shared_ptr<std::vector<T>> adopted;     // else the whole adopted column it views
    T* data = nullptr;
    std::size_t capacity = 0;  // elements usable from data
    // Whether values holds exactly this chunk's elements (not a view).
    bool own() const noexcept { return !adopted; }
  };

  // Chunk `c`, this array's alone (copied first if a copy shares it).
  // Inline: every append, pop and write asks, and the chunk is almost
  // always this array's alone already.
  T* writable(std::size_t c) {
    if (chunks_[c].use_count() == 1) [[likely]] {
      // The copy that shared it is gone; its reads happened before its
      // release of the chunk, which this fence orders before our writes.
      std::atomic_thread_fence(std::memory_order_acquire);
      return data_[c];
    }
    return copyShared(c);
  }
  // writable() of a chunk a copy shares: this array takes a copy of its own.
  [[gnu::noinline]] T* copyShared(std::size_t c) {
    std::shared_ptr<Chunk>& chunk = chunks_[c];
    const std::size_t first = c << kShift;
    const std::size_t count = std::min(kChunk, size_ - first);
    auto copy = std::make_shared<Chunk>();
    copy->values.reserve(c + 1 == chunks_.size() ? std::min(kChunk, std::max<std::size_t>(16, 2 * count)) : count);
    copy->values.assign(chunk->data, chunk->data + count);
    copy->data = copy->values.data();
    copy->capacity = copy->values.capacity();
    chunk = std::move(copy);
    data_[c] = chunk->data;
    return data_[c];
  }

  // Turns view chunk `c` (exclusive) into its own vector with room for `needed`.
  void makeOwn(std::size_t c, std::size_t needed) {
    Chunk& chunk = *chunks_[c];
    const std::size_t count = std::min(kChunk, size_ - (c << kShift));
    Values values;
    values.reserve(std::min(kChunk, std::max({needed, std::size_t{16}, 2 * count})));
    values.assign(chunk.data, chunk.data + count);
    chunk.values = std::move(values);
    chunk.adopted.reset();
    chunk.data = chunk.values.data();
    chunk.capacity = chunk.values.capacity();
    data_[c] = chunk.data;
  }

  std::vector<std::shared_ptr<Chunk>> chunks_;
  std::vector<T*> data_;  // data_[c] == chunks_[c]->data: reads take one lookup
  std::size_t size_ = 0;
};

}  // namespace relstore::detail
