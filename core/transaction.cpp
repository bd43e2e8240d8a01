// Transactions: frames over the store's undo log (see undo_log.h and
// relstore/transaction.h).
#include "relstore/transaction.h"

#include "relstore/errors.h"
#include "relstore/store.h"
#include "store_impl.h"

namespace relstore {

namespace detail {

std::size_t StoreImpl::beginFrame() {
  frames_.push_back(log_.mark());
  active_ = &log_;
  return frames_.size();
}

void StoreImpl::commitFrame(std::size_t depth) {
  if (depth != frames_.size()) {
    throw Error("Transaction commit: a savepoint begun inside it is still open; commit or roll that back first");
  }
  frames_.pop_back();
  if (frames_.empty()) {  // the outermost: the changes are final
    active_ = nullptr;
    log_.clear();
  }
}

void StoreImpl::rollbackFrame(std::size_t depth) {
  const std::size_t mark = frames_[depth - 1];
  active_ = nullptr;  // undoing records nothing
  log_.rollbackTo(mark);
  frames_.resize(depth - 1);
  if (!frames_.empty()) active_ = &log_;
}

void StoreImpl::requireNoFrame(const std::string& what) const {
  if (!frames_.empty()) {
    throw SchemaError(what + " inside a transaction or a write operation: schema changes are not transactional");
  }
}

}  // namespace detail

Transaction Store::begin() { return Transaction(impl_.get(), impl_->beginFrame()); }

Transaction::Transaction(Transaction&& other) noexcept : store_(other.store_), depth_(other.depth_) {
  other.store_ = nullptr;
}

Transaction::~Transaction() {
  // Only if still open: a frame an enclosing rollback already closed is gone.
  if (store_ && store_->frameDepth() >= depth_) store_->rollbackFrame(depth_);
}

void Transaction::commit() {
  if (!store_ || store_->frameDepth() < depth_) throw Error("Transaction commit: the transaction is not open");
  store_->commitFrame(depth_);
  store_ = nullptr;
}

void Transaction::rollback() {
  if (!store_ || store_->frameDepth() < depth_) throw Error("Transaction rollback: the transaction is not open");
  store_->rollbackFrame(depth_);
  store_ = nullptr;
}

}  // namespace relstore
