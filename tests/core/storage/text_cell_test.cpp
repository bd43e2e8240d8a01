// Text cells (16 bytes, up to 15 bytes inline): every length on both sides
// of the boundary reads back exactly, copies are deep, moves empty their
// source, and a text column keeps its values through copies, writes and
// shrinking.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "storage/column.h"
#include "storage/text_cell.h"

using relstore::Type;
using relstore::Value;
using relstore::detail::Column;
using relstore::detail::TextCell;

namespace {

std::string textOf(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + i % 26));
  return s;
}

// What the column test writes over a row (built with += : GCC 12 warns
// falsely on "w" + std::string, its bug 105329).
std::string written(std::size_t n) {
  std::string s(1, 'w');
  s += textOf(n);
  return s;
}

TEST(TextCell, IsSixteenAlignedBytes) {
  EXPECT_EQ(sizeof(TextCell), 16u);
  EXPECT_EQ(alignof(TextCell), 16u);
}

TEST(TextCell, EveryLengthAroundTheInlineLimitReadsBackExactly) {
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string text = textOf(n);
    const TextCell cell(text);
    EXPECT_EQ(cell.view(), text) << n;
    const std::string copied = cell.toString();  // the 15-byte copy, then the cut
    EXPECT_EQ(copied, text) << n;
    EXPECT_EQ(copied.size(), n);
    EXPECT_EQ(copied.c_str()[n], '\0') << n;
    EXPECT_EQ(cell.size(), n);
    EXPECT_EQ(cell.heapBytes(), n <= TextCell::kInline ? 0u : n) << n;
  }
  EXPECT_EQ(TextCell().view(), "");
  EXPECT_EQ(TextCell().toString(), "");
}

TEST(TextCell, KeepsNulBytesAndHighBytesInlineAndOnTheHeap) {
  const std::string shortText("a\0b\xff", 4);
  const std::string longText = std::string("\0\x80\xfe", 3) + std::string(30, '\0') + "end";
  EXPECT_EQ(TextCell(shortText).view(), shortText);
  EXPECT_EQ(TextCell(longText).view(), longText);
  EXPECT_EQ(TextCell(shortText).toString(), shortText);
  EXPECT_EQ(TextCell(longText).toString(), longText);
  const std::string fifteenNuls(15, '\0');
  EXPECT_EQ(TextCell(fifteenNuls).view(), fifteenNuls);  // tag 15, not empty
  EXPECT_EQ(TextCell(fifteenNuls).toString(), fifteenNuls);
}

TEST(TextCell, CopiesAreDeepAndMovesEmptyTheSource) {
  for (const std::string& text : {textOf(7), textOf(100)}) {
    TextCell original(text);
    TextCell copy(original);
    TextCell assigned;
    assigned = original;
    original.assign("changed");
    EXPECT_EQ(copy.view(), text);
    EXPECT_EQ(assigned.view(), text);
    EXPECT_NE(copy.view().data(), assigned.view().data());

    TextCell moved(std::move(copy));
    EXPECT_EQ(moved.view(), text);
    EXPECT_EQ(copy.view(), "");  // NOLINT(bugprone-use-after-move): the moved-from state is defined
    TextCell moveAssigned(textOf(50));
    moveAssigned = std::move(moved);
    EXPECT_EQ(moveAssigned.view(), text);
    EXPECT_EQ(moved.view(), "");  // NOLINT(bugprone-use-after-move)
  }
}

TEST(TextCell, AssignFromItsOwnTextOrPartOfIt) {
  TextCell cell(textOf(60));
  cell = cell;  // self-copy keeps the text
  EXPECT_EQ(cell.view(), textOf(60));
  cell.assign(cell.view().substr(10, 30));
  EXPECT_EQ(cell.view(), textOf(60).substr(10, 30));
  cell.assign(cell.view().substr(0, 5));  // long to inline, from its own buffer
  EXPECT_EQ(cell.view(), textOf(60).substr(10, 5));
  cell.assign(cell.view().substr(1));  // inline to inline, overlapping
  EXPECT_EQ(cell.view(), textOf(60).substr(11, 4));
  cell.clear();
  EXPECT_EQ(cell.view(), "");
  EXPECT_EQ(cell.heapBytes(), 0u);
}

TEST(TextCell, EqualsInlineComparesTheTextWhateverTheCellHeldBefore) {
  const TextCell status("published");
  TextCell rewritten(textOf(40));
  rewritten.assign("published");
  TextCell shrunk("published and more");
  shrunk.assign(shrunk.view().substr(0, 9));
  TextCell moved(TextCell("published"));
  for (const TextCell* same : {&rewritten, &shrunk, &moved}) EXPECT_TRUE(same->equalsInline(status));
  EXPECT_FALSE(TextCell("publishe").equalsInline(status));
  EXPECT_FALSE(TextCell(std::string("published\0", 10)).equalsInline(status));
  EXPECT_FALSE(TextCell(textOf(15)).equalsInline(TextCell(textOf(14))));
  EXPECT_TRUE(TextCell(textOf(15)).equalsInline(TextCell(textOf(15))));
  EXPECT_FALSE(TextCell(textOf(16)).equalsInline(TextCell(textOf(15))));  // a long text equals no short one
  EXPECT_TRUE(TextCell().equalsInline(TextCell("")));
}

TEST(TextColumn, KeepsShortAndLongTextsThroughCopiesWritesAndShrinking) {
  Column column(Type::Text);
  const std::size_t rows = 70000;  // three chunks of 32Ki cells
  for (std::size_t r = 0; r < rows; ++r) {
    column.push(r % 3 == 0 ? Value() : Value(textOf(r % 40)));
  }
  const Column copy = column.gather(std::vector<std::uint32_t>{0, 1, 2, 38, 69998});
  const Column shared = column;  // shares the chunks; the writes below copy them
  for (std::uint32_t r = 1; r < rows; r += 7) column.set(r, Value(written(r % 30)));
  column.popBack();
  for (std::uint32_t r = 0; r < rows - 1; ++r) {
    if (r % 3 == 0 && r % 7 != 1) {
      ASSERT_TRUE(column.isNull(r)) << r;
      EXPECT_EQ(column.textAt(r), "") << r;
    } else {
      const std::string expected = r % 7 == 1 ? written(r % 30) : textOf(r % 40);
      ASSERT_EQ(column.textAt(r), expected) << r;
      EXPECT_EQ(column.get(r), Value(expected)) << r;
    }
  }
  // Both copies were taken before the writes and see none of them.
  EXPECT_TRUE(copy.isNull(0));
  EXPECT_EQ(copy.textAt(1), textOf(1));
  EXPECT_EQ(copy.textAt(2), textOf(2));
  EXPECT_EQ(copy.textAt(3), textOf(38));
  EXPECT_EQ(copy.textAt(4), textOf(69998 % 40));
  ASSERT_EQ(shared.size(), rows);
  for (std::uint32_t r = 0; r < rows; ++r) {
    ASSERT_EQ(shared.isNull(r), r % 3 == 0) << r;
    ASSERT_EQ(shared.textAt(r), r % 3 == 0 ? "" : textOf(r % 40)) << r;
  }
}

TEST(TextColumn, MemoryUsageCountsTheLongTextsBuffers) {
  Column shortTexts(Type::Text), longTexts(Type::Text);
  for (int r = 0; r < 1000; ++r) {
    shortTexts.push(Value(textOf(15)));
    longTexts.push(Value(textOf(100)));
  }
  EXPECT_EQ(longTexts.memoryUsage() - shortTexts.memoryUsage(), 1000u * 100u);
}

}  // namespace
