// A table as text, for tests that must find it exactly as it was (rollbacks).
//
// Every slot in order (free ones marked) with its cells, the free slots in
// the order inserts take them, and each bucket of every association index
// and non-unique attribute index in order — rows, and for association
// indices their payloads and (when kept) row ids: what get(), ids() and an
// indexed findAll show without `order`. Equal dumps, tables equal down to
// every order a reader can see. O(slots x columns + links).
#pragma once

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "relstore/value.h"
#include "storage/table.h"

namespace relstore::testing_support {

inline std::string tableDump(const detail::Table& t) {
  std::ostringstream out;
  for (std::uint32_t r = 0; r < t.slotCount(); ++r) {
    out << " " << r << (t.isLive(r) ? ":" : " (free):");
    for (std::uint32_t c = 0; c < t.columnCount(); ++c) out << " " << t.column(c).get(r).toString();
    out << "\n";
  }
  out << " free slots, the next insert's last:";
  for (std::uint32_t r : t.freeSlots()) out << " " << r;
  out << "\n";
  for (std::uint32_t c = 0; c < t.columnCount(); ++c) {
    const bool link = t.hasLinkIndex(c), multi = t.hasIndex(c) && !t.isUniqueIndexed(c);
    if (!link && !multi) continue;
    std::map<std::string, Value> keys;  // the distinct non-null values, in a stable order
    for (std::uint32_t r = 0; r < t.slotCount(); ++r) {
      if (t.isLive(r) && !t.column(c).isNull(r)) keys.emplace(t.column(c).get(r).toString(), t.column(c).get(r));
    }
    for (const auto& [text, key] : keys) {
      if (link) {
        out << " links of column " << c << " = " << text << ":";
        if (const detail::LinkBucket* b = t.links(c, key)) {
          for (std::size_t i = 0; i < b->size(); ++i) {
            out << " " << b->rows()[i] << "/" << b->payload()[i];
            if (t.linksKeepRowIds(c)) out << "/" << b->rowIds()[i];
          }
        }
        out << "\n";
      }
      if (multi) {
        std::vector<std::uint32_t> rows;
        t.lookup(c, key, rows);
        out << " index of column " << c << " = " << text << ":";
        for (std::uint32_t r : rows) out << " " << r;
        out << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace relstore::testing_support
