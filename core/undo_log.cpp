#include "undo_log.h"

#include "store_impl.h"

namespace relstore::detail {

void UndoLog::rollbackTo(std::size_t mark) {
  while (entries_.size() > mark) {
    Entry& e = entries_.back();
    switch (e.kind) {
      case Kind::Insert: e.table->retractInsert(e.row, e.column != 0); break;
      case Kind::Erase: e.table->reinsertAt(e.row, e.values, e.places); break;
      case Kind::Set: e.table->restoreCell(e.row, e.column, e.value, e.places); break;
      case Kind::SetMany: e.table->restoreCells(e.column, e.cells, e.places); break;
      case Kind::Counter: e.model->restoreCounter(e.counter); break;
    }
    entries_.pop_back();
  }
}

}  // namespace relstore::detail
