#include "undo_log.h"

#include "store_impl.h"

namespace relstore::detail {

void UndoLog::rollbackTo(std::size_t mark) {
  while (entries_.size() > mark) {
    Entry& e = entries_.back();
    switch (e.kind) {
      case Kind::Insert: e.table->retractInsert(e.row, e.column != 0); break;
      case Kind::Erase: e.table->reinsertAt(e.row, e.values); break;
      case Kind::Set: e.table->set(e.row, e.column, e.value); break;
      case Kind::SetMany: e.table->setMany(e.column, e.cells); break;
      case Kind::Counter: e.model->restoreCounter(e.counter); break;
    }
    entries_.pop_back();
  }
}

}  // namespace relstore::detail
