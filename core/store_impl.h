// The store's private state: models with their tables, attributes and hooks.
//
// `Store` owns a `StoreImpl` through a unique_ptr so that Model and Instance
// handles (which hold a StoreImpl*) survive moves of the Store.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <ext/atomicity.h>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tsl/robin_map.h>

#include "associations/association_def.h"
#include "query/scopes.h"
#include "relstore/attribute.h"
#include "relstore/errors.h"
#include "relstore/hooks.h"
#include "relstore/instance.h"
#include "relstore/internal/model_head.h"
#include "storage/keys.h"
#include "storage/table.h"
#include "undo_log.h"

namespace relstore::detail {

struct HookEntry {
  HookId id;
  std::function<void(Instance&)> fn;
};
// Copy-on-write list, so a hook that adds or removes hooks while running does
// not disturb the iteration in progress.
using HookList = std::shared_ptr<const std::vector<HookEntry>>;

class StoreImpl;

// The primary key a model defined without one gets (Int, auto-increment).
inline constexpr const char* kDefaultPrimaryKey = "id";

// A model: its attributes, table, associations, scopes and hooks. Its base
// (relstore/internal/model_head.h) is what Instance's inline reads see.
class ModelImpl : public ModelHead {
 public:
  ModelImpl(std::string name, std::vector<Attribute> attributes, std::uint32_t pk, std::uint32_t index,
            UndoLog* const* undo, StoreImpl* store);

  const std::string& name() const noexcept { return name_; }
  std::uint32_t index() const noexcept { return index_; }
  const std::vector<Attribute>& attributes() const noexcept { return attributes_; }
  const Attribute& attribute(std::uint32_t i) const noexcept { return attributes_[i]; }
  const std::vector<std::string>& attributeNames() const noexcept { return names_; }
  std::uint32_t pk() const noexcept { return pk_; }
  Table& table() noexcept { return *table_; }
  const Table& table() const noexcept { return *table_; }
  // table().column(a) one dependent load sooner, for reads of one cell.
  const Column& columnOf(std::uint32_t a) const noexcept { return *columns_[a]; }

  // Schema changes made by associations: a new attribute (a foreign-key
  // column, filled with null or its default in existing rows), a renamed one.
  std::uint32_t addAttribute(Attribute attribute);
  void renameAttribute(std::uint32_t attribute, std::string name);

  // Associations with this model as source, by index into the store's list.
  const std::vector<std::uint32_t>& associationIds() const noexcept { return associations_; }
  void addAssociation(std::uint32_t id) { associations_.push_back(id); }
  // Foreign keys held by this model (child) and referencing it (parent).
  const std::vector<std::uint32_t>& childKeys() const noexcept { return childKeys_; }
  const std::vector<std::uint32_t>& parentKeys() const noexcept { return parentKeys_; }
  void addChildKey(std::uint32_t fk) { childKeys_.push_back(fk); }
  void addParentKey(std::uint32_t fk) { parentKeys_.push_back(fk); }

  // Scopes (query/scopes.h).
  const ScopeDef* findScope(std::string_view name) const {
    for (const ScopeDef& d : scopes_) {
      if (d.name == name) return &d;
    }
    return nullptr;
  }
  void addScope(ScopeDef def) { scopes_.push_back(std::move(def)); }
  const std::optional<FindOptions>& defaultScope() const noexcept { return defaultScope_; }
  void setDefaultScope(FindOptions options) { defaultScope_ = std::move(options); }

  // Small models (the usual case) find a short name without hashing it:
  // ModelHead::findShortAttribute, by its length, then a comparison with the
  // (usually one) name of that length. Larger models and longer names hash.
  // Index of attribute `name`, or -1. Inline: every get<T>(name) asks.
  int findAttribute(std::string_view name) const {
    if (names_.size() > kScannedAttributes || name.size() > kShortName) return findAttributeHashed(name);
    return findShortAttribute(name);
  }
  // Index of attribute `name`; SchemaError naming the model and `context` if unknown.
  std::uint32_t requireAttribute(std::string_view name, std::string_view context) const;
  // "Model.attribute", for messages.
  std::string qualified(std::uint32_t attribute) const { return name_ + "." + attributes_[attribute].name; }

  // The last primary key handed out or accepted; auto ids continue above it.
  Id idCounter() const noexcept { return idCounter_; }
  void advanceCounter(Id id) {
    if (id <= idCounter_) return;
    if (UndoLog* log = *undo_) log->counter(*this, idCounter_);
    idCounter_ = id;
  }
  void restoreCounter(Id id) noexcept { idCounter_ = id; }  // for the undo log

  // The store the model belongs to (for guards around user code).
  StoreImpl& store() const noexcept { return *store_; }

  // A snapshot load's last step: puts `table` (built by Table::emptyCopy of
  // this model's table, filled and indexed) and `counter` in place; `table`
  // receives the old contents. Cannot fail, so a load swaps every model or none.
  void swapContents(std::unique_ptr<Table>& table, Id& counter) noexcept {
    table_.swap(table);
    table_->attachUndo(undo_);
    pointAtColumns();
    std::swap(idCounter_, counter);
  }

  // Lends the model's reusable row buffer to one create at a time; a nested
  // create (from a validator) gets a buffer of its own.
  class ScratchRow {
   public:
    explicit ScratchRow(ModelImpl& m) : model_(m.scratchBusy_ ? nullptr : &m) {
      if (model_) model_->scratchBusy_ = true;
    }
    ~ScratchRow() {
      if (model_) model_->scratchBusy_ = false;
    }
    ScratchRow(const ScratchRow&) = delete;
    ScratchRow& operator=(const ScratchRow&) = delete;
    std::vector<Value>& row() { return model_ ? model_->scratch_ : own_; }

   private:
    ModelImpl* model_;
    std::vector<Value> own_;
  };

  bool hasHooks(Hook hook) const noexcept { return !hooks_[static_cast<int>(hook)]->empty(); }
  const HookList& hooks(Hook hook) const noexcept { return hooks_[static_cast<int>(hook)]; }
  void addHook(Hook hook, HookEntry entry);
  bool removeHook(HookId id);

 private:
  std::string name_;
  std::uint32_t index_;
  std::vector<Attribute> attributes_;
  int findAttributeHashed(std::string_view name) const;  // large models, long names
  std::vector<std::string> names_;
  // Rebuilds ModelHead's name lists and names.
  void indexNamesByLength();
  tsl::robin_map<std::string, std::uint32_t, TextHash, TextEq> byName_;
  std::uint32_t pk_;
  std::unique_ptr<Table> table_;
  // table_'s columns by attribute. A table's columns never move, but a
  // snapshot load swaps in another table and an association may add a
  // column: both point these anew.
  std::vector<const Column*> columns_;
  // Points columns_ at table_'s columns. Never allocates: the capacity is
  // reserved before a column is added, and a swapped-in table has as many.
  void pointAtColumns() noexcept;
  Id idCounter_ = 0;
  std::array<HookList, 10> hooks_;
  std::vector<Value> scratch_;
  bool scratchBusy_ = false;
  std::vector<ScopeDef> scopes_;
  std::optional<FindOptions> defaultScope_;
  std::vector<std::uint32_t> associations_;
  std::vector<std::uint32_t> childKeys_;
  std::vector<std::uint32_t> parentKeys_;
  UndoLog* const* undo_;  // the store's active undo log slot
  StoreImpl* store_;
};

}  // namespace relstore::detail

namespace relstore {
// Every model is a ModelImpl: the handle keeps it as its ModelHead base.
inline const detail::ModelImpl* Instance::modelImpl() const noexcept {
  return static_cast<const detail::ModelImpl*>(model_);
}
}  // namespace relstore

namespace relstore::detail {

class StoreImpl {
 public:
  ModelImpl& define(std::string name, std::vector<Attribute> attributes);
  ModelImpl* find(std::string_view name) const;
  ModelImpl& model(std::uint32_t index) const noexcept { return *models_[index]; }
  std::size_t modelCount() const noexcept { return models_.size(); }


  HookId nextHookId() noexcept { return ++lastHookId_; }

  // Transactions and operations that must undo their hooks' writes: a stack
  // of frames over one undo log, which is active (recording) while the
  // stack is not empty. beginFrame returns the new frame's depth (1 = the
  // bottom); commitFrame(depth) needs it on top and keeps its changes (the
  // frame below inherits them; the bottom one clears the log);
  // rollbackFrame(depth) undoes everything since that frame began and
  // closes it and any frame above it. See core/transaction.cpp.
  std::size_t beginFrame();
  void commitFrame(std::size_t depth);
  // Compacts every table mostly made of free slots (Table::compactIfSparse):
  // after a write outside transactions and after the outermost commit, the
  // points where no undo log names slots. O(models) when nothing is due.
  void compactSparseTables();
  void rollbackFrame(std::size_t depth);
  std::size_t frameDepth() const noexcept { return frames_.size(); }
  // The undo log's length: it grows with every write while a frame is open.
  std::size_t logMark() const noexcept { return log_.mark(); }
  // Whether, since logMark() gave `mark` (a frame open all along), a write
  // changed a table for which `pred(const Table&)` holds. O(writes since).
  template <class Pred>
  bool wroteSince(std::size_t mark, Pred pred) const { return log_.changedSince(mark, pred); }
  // Each frame has an id of its own, so that a handle to a frame that was
  // closed (by a rollback below it) never acts on a newer frame that took
  // its depth.
  std::uint64_t frameId(std::size_t depth) const noexcept { return frames_[depth - 1].id; }
  bool frameOpen(std::size_t depth, std::uint64_t id) const noexcept {
    return depth >= 1 && depth <= frames_.size() && frames_[depth - 1].id == id;
  }
  // Throws SchemaError naming `what` while a frame is open (schema changes
  // are not transactional) or a hook or validator runs (a write in progress
  // holds rows shaped by the schema it began with).
  void requireNoSchemaChange(const std::string& what) const;
  // Frames at or below this depth are not the running hook's to end: the
  // depth when the innermost running hook began (0: no hook runs).
  std::size_t hookFloor() const noexcept { return hookFloor_; }
  // Whether a hook or validator runs (a UserCode guard is alive): the write
  // around it holds row slots.
  bool userCodeRunning() const noexcept { return userCodeDepth_ > 0; }

  // Associations and foreign keys (see associations/association_def.h).
  AssociationDef& association(std::uint32_t i) noexcept { return *associations_[i]; }
  const AssociationDef& association(std::uint32_t i) const noexcept { return *associations_[i]; }
  std::uint32_t associationCount() const noexcept { return static_cast<std::uint32_t>(associations_.size()); }
  std::uint32_t addAssociation(AssociationDef def);
  ForeignKey& foreignKey(std::uint32_t i) noexcept { return foreignKeys_[i]; }
  const ForeignKey& foreignKey(std::uint32_t i) const noexcept { return foreignKeys_[i]; }
  std::uint32_t foreignKeyCount() const noexcept { return static_cast<std::uint32_t>(foreignKeys_.size()); }
  std::uint32_t addForeignKey(ForeignKey fk);
  // The foreign key on (child model, column) referencing `parent`, if defined.
  std::optional<std::uint32_t> findForeignKey(std::uint32_t child, std::uint32_t column, std::uint32_t parent) const;

 private:
  // Each on the heap: Association::as()/foreignKey()/otherKey() hand out
  // references into these, which must survive later definitions (a deque
  // would too, but its indexing costs a division on every association call).
  std::vector<std::unique_ptr<AssociationDef>> associations_;
  std::vector<ForeignKey> foreignKeys_;
  std::vector<std::unique_ptr<ModelImpl>> models_;
  tsl::robin_map<std::string, std::uint32_t, TextHash, TextEq> byName_;
  HookId lastHookId_ = 0;
  UndoLog log_;
  UndoLog* active_ = nullptr;        // &log_ while a frame is open
  struct Frame {
    std::size_t mark;  // in log_
    std::uint64_t id;
  };
  std::vector<Frame> frames_;
  std::uint64_t nextFrameId_ = 0;
  friend class UserCode;
  std::size_t userCodeDepth_ = 0;  // hooks and validators running (UserCode)
  std::size_t hookFloor_ = 0;
};

// What the query that produced an Instance asked to show, and what it loaded
// with it. One per query level, shared by that level's rows (a handle holds
// a pointer and its slot), so eager loading allocates per level, not per row.
struct ResultShape {
  // Owners (ShapeRef's count): the handles and references holding it.
  mutable _Atomic_word owners = 1;
  std::vector<std::uint32_t> attributes;  // empty: all, in definition order
  // Eager loading: the associations included for these rows, in include
  // order, and for each (slot, include i), at slot * included.size() + i,
  // the rows loaded: in `many` for a to-many association, in `one` for a
  // to-one (a handle without store: none). Each is sized only when used.
  std::vector<std::uint32_t> included;
  std::vector<std::vector<Instance>> many;
  std::vector<Instance> one;

  // Where the rows of include `i` loaded for the handle at `slot` sit in `many` or `one`.
  std::size_t at(std::uint32_t slot, std::size_t i) const noexcept { return std::size_t{slot} * included.size() + i; }
  // The to-one row at `at`, or null when none was found.
  const Instance* oneAt(std::size_t at) const noexcept { return one[at].modelImpl() ? &one[at] : nullptr; }
};

// Per-handle state, allocated only when there is some.
struct InstanceState {
  // set() on a live row: attribute → staged value, in staging order.
  std::vector<std::pair<std::uint32_t, Value>> staged;
  // While a create's hooks run: the row being built, one value per attribute.
  bool pending = false;
  std::vector<Value> pendingRow;
  // After destroy: the values the row had (AfterDestroy hooks read them).
  std::shared_ptr<const std::vector<Value>> lastValues;
  // set() was called since the write path last validated (hooks changed values).
  bool touched = false;
};

// Brackets a hook or validator call: while it runs the schema may not change
// (requireNoSchemaChange), tables do not compact, snapshots are refused, and
// transactions open when it began are not its to end (hookFloor).
class UserCode {
 public:
  explicit UserCode(const ModelImpl& model) noexcept
      : store_(model.store()), outerFloor_(std::exchange(store_.hookFloor_, store_.frameDepth())) {
    ++store_.userCodeDepth_;
  }
  UserCode(const UserCode&) = delete;
  UserCode& operator=(const UserCode&) = delete;
  ~UserCode() {
    --store_.userCodeDepth_;
    store_.hookFloor_ = outerFloor_;
  }

 private:
  StoreImpl& store_;
  std::size_t outerFloor_;
};

}  // namespace relstore::detail
