// Copy-on-write chunked arrays: copies share chunks; a write to either side
// copies the chunk it touches and never shows through to the other.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "storage/cow_chunks.h"

using relstore::detail::CowChunks;

namespace {

// A small chunk size (16 elements) so that every path crosses chunk edges.
template <class T>
using Small = CowChunks<T, 4>;

template <class T>
std::vector<T> contents(const Small<T>& a) {
  std::vector<T> out;
  a.forEachChunk([&](std::span<const T> chunk, std::size_t first) {
    EXPECT_EQ(first, out.size());
    out.insert(out.end(), chunk.begin(), chunk.end());
  });
  EXPECT_EQ(out.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], out[i]);
  return out;
}

TEST(CowChunks, CopiesAreIndependentThroughRandomWritesOnBothSides) {
  std::mt19937 rng(5);
  Small<std::int64_t> a;
  std::vector<std::int64_t> ra;
  for (int i = 0; i < 100; ++i) {
    a.push_back(i);
    ra.push_back(i);
  }
  Small<std::int64_t> b = a;  // shares every chunk
  std::vector<std::int64_t> rb = ra;
  for (int step = 0; step < 5000; ++step) {
    const bool first = rng() % 2;
    Small<std::int64_t>& x = first ? a : b;
    std::vector<std::int64_t>& rx = first ? ra : rb;
    switch (rng() % 4) {
      case 0:
      case 1:
        if (!rx.empty()) {
          const std::size_t i = rng() % rx.size();
          x.mutableAt(i) = rx[i] = static_cast<std::int64_t>(rng());
        }
        break;
      case 2:
        x.push_back(step);
        rx.push_back(step);
        break;
      case 3:
        if (!rx.empty()) {
          x.pop_back();
          rx.pop_back();
        }
        break;
    }
    if (step % 500 == 0) {
      Small<std::int64_t> c = x;  // a third sharer now and then
      EXPECT_EQ(contents(c), rx);
    }
  }
  EXPECT_EQ(contents(a), ra);
  EXPECT_EQ(contents(b), rb);
}

TEST(CowChunks, AdoptedValuesAreViewsThatGrowAndShrinkLikeOwnChunks) {
  std::vector<std::string> values;
  for (int i = 0; i < 40; ++i) values.push_back("value number " + std::to_string(i) + " long enough to leave SSO");
  Small<std::string> a = Small<std::string>::adopt(values);
  Small<std::string> snapshot = a;
  a.mutableAt(3) = "changed";
  a.pop_back();  // 39: inside the last (partial) view chunk
  a.push_back("appended");  // the view becomes its own chunk
  for (int i = 0; i < 30; ++i) a.push_back("more " + std::to_string(i));
  while (a.size() > 10) a.pop_back();
  EXPECT_EQ(contents(snapshot), values);
  std::vector<std::string> expected(values.begin(), values.begin() + 10);
  expected[3] = "changed";
  EXPECT_EQ(contents(a), expected);
}

}  // namespace
