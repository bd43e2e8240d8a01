// relstore/instance.h — a handle to one row of a model.
//
// What it is: an `Instance` names a row by model and primary key. It holds no
// copy of the row: every `get` reads the live columns, so two handles to one
// row always agree. Values written with `set` are staged in the handle until
// `save()`.
//
// When to use it: returned by `create` and the find methods; read, change and
// destroy single rows through it.
//
//   Instance ann = players.create({{"name", "Ann"}});
//   ann.set("level", 2);                  // staged: ann.get("level") == 2
//   ann.save();                           // validated, written, hooks run
//   ann.update({{"gold", 5.0}});          // set + save
//   std::string json = ann.toJSON();      // {"id":1,"name":"Ann","level":2,...}
//   ann.destroy();                        // ann.exists() == false
//
// Invalidation: a handle stays valid for the store's lifetime (not across the
// Store's destruction). Once its row is destroyed it reports `exists() ==
// false` and reads throw NotFoundError. If a primary key changes, the handle
// that made the change follows its row; other handles to the old key then see
// `exists() == false`.
//
// Cost: `get` is a primary-key lookup (an array read for auto-increment ids)
// and a column read. Handles made by queries and association reads remember
// their row's slot and skip the lookup until some id of the model loses its
// slot: a destroy, a key change, a create that fails after placing its row
// (a unique or foreign-key violation) or is rolled back, a compaction, a
// snapshot load (the table tracks whether any slot may have changed, not
// which). `get<std::string>` of a short text (at most 15 bytes) through
// such a handle runs inline in the caller: about forty instructions, no call.
// Copying a handle copies its staged values (none, usually) and
// shares, never copies, the rows eager-loaded with it.
// Threads: see store.h (readers may share a store while nobody writes).
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "relstore/attribute.h"
#include "relstore/errors.h"
#include "relstore/internal/model_head.h"
#include "relstore/value.h"

namespace relstore {

class Model;
namespace detail {
class StoreImpl;
class ModelImpl;
struct InstanceState;
struct ResultShape;

// Shared ownership of a ResultShape through the count of owners it keeps:
// one pointer where a std::shared_ptr is two, so that a handle holding one
// is 64 bytes. Counting is thread-safe (as std::shared_ptr's). Null by
// default; make() creates a shape with this as its only owner.
class ShapeRef {
 public:
  ShapeRef() noexcept = default;
  ShapeRef(std::nullptr_t) noexcept {}  // NOLINT: converts like a pointer
  ShapeRef(const ShapeRef& other) noexcept : shape_(other.shape_) {
    if (shape_) retain(shape_);
  }
  ShapeRef(ShapeRef&& other) noexcept : shape_(std::exchange(other.shape_, nullptr)) {}
  ShapeRef& operator=(ShapeRef other) noexcept {
    std::swap(shape_, other.shape_);
    return *this;
  }
  ~ShapeRef() {
    if (shape_) release(shape_);
  }

  static ShapeRef make();
  const ResultShape* get() const noexcept { return shape_; }
  // The shape to fill, for the code that just made it.
  ResultShape& edit() const noexcept { return *shape_; }
  // Gives up ownership: the caller now holds this reference's count.
  ResultShape* releaseOwnership() noexcept { return std::exchange(shape_, nullptr); }

  static void retain(const ResultShape* shape) noexcept;
  static void release(const ResultShape* shape) noexcept;

 private:
  ResultShape* shape_ = nullptr;
};

// Where a handle's row was when the handle was made: its slot, valid while
// the table's primary-key epoch is still `epoch` (0: no hint). Lets reads
// skip the id → slot lookup; see core/storage/pk_index.h.
struct RowHint {
  std::uint32_t row = 0;
  std::uint64_t epoch = 0;
};
}  // namespace detail

class Instance {
 public:
  Instance(const Instance& other);
  Instance(Instance&& other) noexcept
      : state_(std::exchange(other.state_, nullptr)), shape_(std::exchange(other.shape_, nullptr)) {
    copyRowFields(other);
  }
  Instance& operator=(const Instance& other);
  Instance& operator=(Instance&& other) noexcept {
    Instance moved(std::move(other));
    swap(moved);
    return *this;
  }
  // One test for the usual handle, which owns neither staged values nor a shape.
  ~Instance() {
    if ((reinterpret_cast<std::uintptr_t>(state_) | reinterpret_cast<std::uintptr_t>(shape_)) != 0) [[unlikely]] {
      releaseOwned();
    }
  }

  // The row's model. Never throws.
  Model model() const;
  // The primary key (0 inside a BeforeCreate hook unless the record gave one).
  Id id() const noexcept { return id_; }
  // Whether the row is in the store. O(1).
  bool exists() const;

  // The staged value of `attribute` if `set` staged one, else the live value.
  // Throws SchemaError for an unknown attribute, NotFoundError if the row is
  // gone (except in an AfterDestroy hook, which reads the values it had).
  Value get(std::string_view attribute) const;
  // get(attribute).as<T>(): TypeError naming the model, attribute and id on
  // a type mismatch or null. T is an integer type, double, bool or
  // std::string. Reads the cell without boxing it into a Value when it can
  // (the usual case: nothing staged).
  template <class T>
  T get(std::string_view attribute) const {
    if constexpr (std::same_as<T, std::string>) {
      return getText(attribute);
    } else {
      if constexpr (std::same_as<T, bool>) {
        bool v;
        if (readLive(attribute, v)) return v;
      } else if constexpr (std::integral<T>) {
        std::int64_t v;
        if (readLive(attribute, v)) return static_cast<T>(v);
      } else if constexpr (std::same_as<T, double>) {
        double v;
        if (readLive(attribute, v)) return v;
      }
      return getBoxed<T>(attribute);
    }
  }

  // Stages `value` for `attribute` until save(); returns *this. Checks only
  // the name (SchemaError); type, null and constraints are checked by save().
  Instance& set(std::string_view attribute, Value value);
  // True when a staged value differs from the live row.
  bool changed() const;
  // Writes the staged values (validation, constraints, Update and Save hooks)
  // and clears them. Nothing staged or nothing different: no-op, no hooks.
  // Throws ValidationError, UniqueConstraintError, NotFoundError, or what a
  // hook throws; on failure nothing is written and the values stay staged.
  void save();
  // set() each field, then save(). On failure the values stay staged.
  void update(const Record& values);
  // Destroys the row (Destroy hooks run). Throws NotFoundError if it is gone.
  void destroy();
  // Drops staged values; throws NotFoundError if the row is gone.
  void reload();

  // Eager-loaded rows of association `as` (see FindOptions::include):
  // included() for to-many (empty when none matched), includedOne() for
  // to-one (none when absent). AssociationError if `as` names no association
  // of the model, was not included by the query that made this handle, or
  // is of the other kind (included() of a to-one, includedOne() of a to-many).
  // The rows live in storage shared by the handles of one query level: the
  // reference stays valid while this handle, or any copy of it, lives.
  // O(associations of the model) to find `as`; nothing is copied.
  const std::vector<Instance>& included(std::string_view as) const;
  std::optional<Instance> includedOne(std::string_view as) const;
  // The junction row that linked this target, when it was reached through a
  // belongsToMany (get); none otherwise.
  std::optional<Instance> through() const;
  // The association methods of alias `as` with this row as source;
  // AssociationError if the model has no such association.
  class BoundAssociation assoc(std::string_view as) const;

  // The row as a JSON object, attributes in definition order (limited to the
  // `attributes` of the query that produced this handle). Reals in shortest
  // round-trip form; NaN and infinities as null. Eager-loaded rows and the
  // junction row nest in; those destroyed since the query are left out (a
  // to-one shows null). Throws NotFoundError if this row is gone.
  std::string toJSON() const;

  // Same model (of the same store) and primary key.
  friend bool operator==(const Instance& a, const Instance& b) noexcept {
    return a.model_ == b.model_ && a.id_ == b.id_;
  }

  // Internal: made by the store.
  // `shape` is what the query showed and loaded for its rows (shared by
  // them); `slot` is this row's place in it (its eager-loaded lists).
  // `hint`: where the row is now (the store's reads then skip a lookup).
  // A null `store` makes a placeholder that names no row (storeImpl() null).
  Instance(detail::StoreImpl* store, std::uint32_t model, Id id, detail::ShapeRef shape = nullptr,
           std::uint32_t slot = 0, detail::RowHint hint = {}) noexcept;
  // The same from the model itself: inline, for loops that make many.
  Instance(const detail::ModelHead& model, Id id, detail::ShapeRef shape = nullptr, std::uint32_t slot = 0,
           detail::RowHint hint = {}) noexcept
      : model_(&model),
        slot_(slot),
        hintRow_(hint.row),
        id_(id),
        hintEpoch_(hint.epoch),
        shape_(shape.releaseOwnership()) {}
  detail::StoreImpl* storeImpl() const noexcept;  // null for a placeholder
  std::uint32_t modelIndex() const noexcept;
  const detail::ModelImpl* modelImpl() const noexcept;  // inline, in core/store_impl.h
  detail::InstanceState* state() const noexcept { return state_; }
  detail::InstanceState& mutableState();
  void setIdInternal(Id id) noexcept {
    id_ = id;
    hintEpoch_ = 0;
  }
  detail::RowHint rowHint() const noexcept { return {hintRow_, hintEpoch_}; }
  const detail::ResultShape* shape() const noexcept { return shape_; }
  std::uint32_t slot() const noexcept { return slot_; }
  void setThroughInternal(std::uint32_t junctionModel, Id junctionId) noexcept {
    throughModel_ = junctionModel;
    throughId_ = junctionId;
  }

 private:
  static constexpr std::uint32_t kNoThrough = 0xffffffffu;

  // get<T>'s path: copies the live cell of `attribute` into `out` and returns
  // true when nothing is staged and the cell holds a non-null value of
  // exactly that type; false otherwise (get() then decides, and throws).
  bool readLive(std::string_view attribute, std::int64_t& out) const;
  bool readLive(std::string_view attribute, double& out) const;
  bool readLive(std::string_view attribute, bool& out) const;
  // get<std::string>: the live text when nothing is staged and the cell is
  // non-null text (built in the caller's place: both paths return a
  // prvalue), else getBoxed's conversion or error.
  // Inline: the common case (nothing staged, a small model, a short name, a
  // current row hint, a short non-empty text) reads the cell in the caller.
  std::string getText(std::string_view attribute) const {
    if (state_ == nullptr) [[likely]] {
      if (const char* cell = model_->shortTextCell(attribute, hintRow_, hintEpoch_)) [[likely]] {
        return detail::ModelHead::shortText(cell);
      }
    }
    return getTextGenerally(attribute);
  }
  // getText's every other case: staged values, a large model, a row without
  // a current hint, a long text, a null, another type, an unknown name.
  std::string getTextGenerally(std::string_view attribute) const;
  // get<T>'s general path: get(attribute) converted to T.
  template <class T>
  T getBoxed(std::string_view attribute) const {
    const Value value = get(attribute);
    try {
      return value.template as<T>();
    } catch (const TypeError& e) {
      rethrowNamingAttribute(attribute, e);
    }
  }
  // Copies what names the row and how it was reached: all but the staged
  // values and the shape, which copies and moves treat differently.
  void copyRowFields(const Instance& other) noexcept {
    model_ = other.model_;
    throughModel_ = other.throughModel_;
    slot_ = other.slot_;
    hintRow_ = other.hintRow_;
    id_ = other.id_;
    throughId_ = other.throughId_;
    hintEpoch_ = other.hintEpoch_;
  }
  void swap(Instance& other) noexcept {
    std::swap(model_, other.model_);
    std::swap(throughModel_, other.throughModel_);
    std::swap(slot_, other.slot_);
    std::swap(hintRow_, other.hintRow_);
    std::swap(id_, other.id_);
    std::swap(throughId_, other.throughId_);
    std::swap(hintEpoch_, other.hintEpoch_);
    std::swap(state_, other.state_);
    std::swap(shape_, other.shape_);
  }
  // Frees the staged values and drops the shape (whichever is held).
  void releaseOwned() noexcept;
  // get<T>'s type errors name the model, the attribute and the row.
  [[noreturn]] void rethrowNamingAttribute(std::string_view attribute, const TypeError& e) const;

  // The model, not the store and an index: a read reaches the model's
  // columns two dependent loads sooner. Models live as long as their store.
  // Its base, which inline reads see; core reads it as the model (modelImpl()).
  const detail::ModelHead* model_ = nullptr;
  std::uint32_t throughModel_ = kNoThrough;  // the junction that linked this target, if any
  std::uint32_t slot_ = 0;                    // this row's place in shape_'s eager-loaded lists
  std::uint32_t hintRow_ = 0;                 // rowHint(): the slot, while the table's epoch is hintEpoch_
  Id id_ = 0;
  Id throughId_ = 0;
  std::uint64_t hintEpoch_ = 0;
  detail::InstanceState* state_ = nullptr;  // owned: staged values; null when none
  // Shared by one query level's rows (one count of ShapeRef's held): the
  // attributes shown and the rows eager-loaded for them, so a handle owns no
  // per-row storage for includes.
  const detail::ResultShape* shape_ = nullptr;
};

}  // namespace relstore
