// Transactions: frames over the store's undo log (see undo_log.h and
// relstore/transaction.h).
#include "relstore/transaction.h"

#include "relstore/errors.h"
#include "relstore/store.h"
#include "store_impl.h"

namespace relstore {

namespace detail {

std::size_t StoreImpl::beginFrame() {
  frames_.push_back({log_.mark(), ++nextFrameId_});
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

void StoreImpl::compactSparseTables() {
  if (userCodeRunning()) return;  // the write around the hook or validator holds slots
  for (std::uint32_t i = 0; i < modelCount(); ++i) model(i).table().compactIfSparse();
}

void StoreImpl::rollbackFrame(std::size_t depth) {
  const std::size_t mark = frames_[depth - 1].mark;
  frames_.resize(depth - 1);
  active_ = nullptr;  // undoing records nothing
  // Whatever happens below (only an allocation can fail), the frames left
  // open keep recording.
  struct Reactivate {
    StoreImpl& store;
    ~Reactivate() {
      if (!store.frames_.empty()) store.active_ = &store.log_;
    }
  } reactivate{*this};
  log_.rollbackTo(mark);
}

void StoreImpl::requireNoSchemaChange(const std::string& what) const {
  if (!frames_.empty() || userCodeRunning()) {
    throw SchemaError(what + " inside a transaction or a write operation: schema changes are not transactional");
  }
}

}  // namespace detail

Transaction Store::begin() {
  const std::size_t depth = impl_->beginFrame();
  return Transaction(impl_.get(), depth, impl_->frameId(depth));
}

Transaction::Transaction(Transaction&& other) noexcept
    : store_(other.store_), depth_(other.depth_), id_(other.id_) {
  other.store_ = nullptr;
}

bool Transaction::active() const noexcept { return store_ && store_->frameOpen(depth_, id_); }

Transaction::~Transaction() {
  // Only if still open: a frame an enclosing rollback already closed is gone.
  if (active()) store_->rollbackFrame(depth_);
}

namespace {
// A hook ends only the transactions it began: one open when it started
// belongs to the code around the write (which would find it ended).
void requireOwnedByRunningHook(const detail::StoreImpl& store, std::size_t depth, const char* what) {
  if (depth <= store.hookFloor()) {
    throw Error(std::string("Transaction ") + what + ": a hook may not end a transaction it did not begin");
  }
}
}  // namespace

void Transaction::commit() {
  if (!active()) throw Error("Transaction commit: the transaction is not open");
  requireOwnedByRunningHook(*store_, depth_, "commit");
  store_->commitFrame(depth_);
  // Destroys inside it may have left tables mostly free: the outermost commit
  // is the first point where their slots may change again.
  if (store_->frameDepth() == 0) store_->compactSparseTables();
  store_ = nullptr;
}

void Transaction::rollback() {
  if (!active()) throw Error("Transaction rollback: the transaction is not open");
  requireOwnedByRunningHook(*store_, depth_, "rollback");
  store_->rollbackFrame(depth_);
  store_ = nullptr;
}

}  // namespace relstore
