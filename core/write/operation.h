// One write operation (a create, a bulkCreate, an update, a destroy with its
// cascade) as a unit with the writes its hooks make.
//
// An operation checks everything before it changes anything, so its own
// writes never need undoing; its hooks' writes may. The scope opens a frame
// of the undo log (store_impl.h) when the operation runs hooks or a
// transaction is open; if the operation fails before `applied()`, the frame
// is rolled back — undoing what the hooks that ran wrote — and the exception
// goes on. `applied()` comes after the operation's own writes and before its
// after-hooks: an after-hook that throws leaves the operation applied (a
// surrounding transaction may still roll it back). Without hooks and outside
// transactions the scope does nothing.
#pragma once

#include <exception>

#include "store_impl.h"

namespace relstore::detail {

class OperationScope {
 public:
  OperationScope(StoreImpl& store, bool hooked) : store_(store), exceptions_(std::uncaught_exceptions()) {
    if (hooked || store.frameDepth() > 0) {
      depth_ = store.beginFrame();
      id_ = store.frameId(depth_);
    }
  }
  OperationScope(const OperationScope&) = delete;
  OperationScope& operator=(const OperationScope&) = delete;

  // The operation's own writes are done: keep everything so far. (Hooks
  // cannot leave frames open above this one: runHooks refuses that.)
  void applied() {
    if (depth_ && store_.frameOpen(depth_, id_) && store_.frameDepth() == depth_) store_.commitFrame(depth_);
    depth_ = 0;
  }
  // Unwinding: the operation failed before applied(); otherwise it is applied.
  ~OperationScope() {
    if (!depth_ || !store_.frameOpen(depth_, id_)) return;
    if (std::uncaught_exceptions() > exceptions_) {
      store_.rollbackFrame(depth_);
    } else {
      applied();
    }
  }

 private:
  StoreImpl& store_;
  int exceptions_;
  std::size_t depth_ = 0;
  std::uint64_t id_ = 0;
};

}  // namespace relstore::detail
