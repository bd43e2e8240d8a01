// Instance: a live handle to one row (see relstore/instance.h).
#include "relstore/instance.h"

#include <algorithm>
#include <ext/atomicity.h>

#include "relstore/association.h"
#include "relstore/model.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore {

using detail::InstanceState;
using detail::ModelImpl;

detail::ShapeRef detail::ShapeRef::make() {
  ShapeRef ref;
  ref.shape_ = new ResultShape();  // its count starts at 1: this reference's
  return ref;
}

// As std::shared_ptr counts: plain arithmetic while the process has one
// thread, atomic once it has more.
void detail::ShapeRef::retain(const ResultShape* shape) noexcept {
  __gnu_cxx::__atomic_add_dispatch(&shape->owners, 1);
}

void detail::ShapeRef::release(const ResultShape* shape) noexcept {
  if (__gnu_cxx::__exchange_and_add_dispatch(&shape->owners, -1) == 1) delete shape;
}

Instance::Instance(detail::StoreImpl* store, std::uint32_t model, Id id, detail::ShapeRef shape, std::uint32_t slot,
                   detail::RowHint hint) noexcept
    : model_(store ? &store->model(model) : nullptr),
      slot_(slot),
      hintRow_(hint.row),
      id_(id),
      hintEpoch_(hint.epoch),
      shape_(shape.releaseOwnership()) {}

void Instance::releaseOwned() noexcept {
  delete std::exchange(state_, nullptr);
  if (shape_) detail::ShapeRef::release(std::exchange(shape_, nullptr));
}

detail::StoreImpl* Instance::storeImpl() const noexcept { return model_ ? &modelImpl()->store() : nullptr; }
std::uint32_t Instance::modelIndex() const noexcept { return model_ ? modelImpl()->index() : 0; }

Instance::Instance(const Instance& other)
    : state_(other.state_ ? new InstanceState(*other.state_) : nullptr), shape_(other.shape_) {
  copyRowFields(other);
  if (shape_) detail::ShapeRef::retain(shape_);
}

Instance& Instance::operator=(const Instance& other) {
  if (this != &other) *this = Instance(other);
  return *this;
}

InstanceState& Instance::mutableState() {
  if (!state_) state_ = new InstanceState();
  return *state_;
}

Model Instance::model() const { return Model(&modelImpl()->store(), modelImpl()->index()); }

bool Instance::exists() const {
  if (state_ && state_->pending) return false;
  return modelImpl()->table().rowOf(id_, rowHint()).has_value();
}

namespace {

[[noreturn]] void missing(const ModelImpl& m, Id id) {
  throw NotFoundError(m.name() + " with " + m.attribute(m.pk()).name + " " + std::to_string(id) +
                      " does not exist (destroyed, or never created)");
}

}  // namespace

Value Instance::get(std::string_view attribute) const {
  const ModelImpl& m = *modelImpl();
  const std::uint32_t a = m.requireAttribute(attribute, "get");
  if (state_ && state_->pending) return state_->pendingRow[a];
  auto row = m.table().rowOf(id_, rowHint());
  if (!row) {
    // Destroyed: the values it had while AfterDestroy hooks run, else
    // NotFoundError whatever is staged. (A rollback that brought the row
    // back makes kept values stale: the row is read.)
    if (state_ && state_->lastValues) return (*state_->lastValues)[a];
    missing(m, id_);
  }
  if (state_) {
    auto it = std::find_if(state_->staged.rbegin(), state_->staged.rend(), [&](const auto& s) { return s.first == a; });
    if (it != state_->staged.rend()) return it->second;
  }
  return m.table().column(a).get(*row);
}

namespace {
// Calls read(column, row) when the handle has nothing staged (`staged` false),
// `attribute` exists, the row is live and the cell is a non-null `type`;
// returns whether it did.
template <class Read>
bool readCell(const ModelImpl& m, Id id, detail::RowHint hint, bool staged, std::string_view attribute, Type type,
              Read read) {
  if (staged) return false;
  const int a = m.findAttribute(attribute);
  if (a < 0) return false;
  const detail::Column& c = m.columnOf(static_cast<std::uint32_t>(a));
  if (c.type() != type) return false;
  const std::uint32_t row = m.table().slotOf(id, hint);
  if (row == detail::Table::kNoSlot || c.isNull(row)) return false;
  read(c, row);
  return true;
}
}  // namespace

bool Instance::readLive(std::string_view attribute, std::int64_t& out) const {
  return readCell(*modelImpl(), id_, rowHint(), state_ != nullptr, attribute, Type::Int,
                  [&](const detail::Column& c, std::uint32_t r) { out = c.intAt(r); });
}
bool Instance::readLive(std::string_view attribute, double& out) const {
  return readCell(*modelImpl(), id_, rowHint(), state_ != nullptr, attribute, Type::Real,
                  [&](const detail::Column& c, std::uint32_t r) { out = c.realAt(r); });
}
bool Instance::readLive(std::string_view attribute, bool& out) const {
  return readCell(*modelImpl(), id_, rowHint(), state_ != nullptr, attribute, Type::Bool,
                  [&](const detail::Column& c, std::uint32_t r) { out = c.boolAt(r); });
}
// Flattened: the lookup and the copy inline into one function, no call
// per read but std::string's own for a long text.
[[gnu::flatten, gnu::noinline]] std::string Instance::getTextGenerally(std::string_view attribute) const {
  const detail::TextCell* cell = nullptr;
  readCell(*modelImpl(), id_, rowHint(), state_ != nullptr, attribute, Type::Text,
           [&](const detail::Column& c, std::uint32_t r) { cell = &c.textCellAt(r); });
  if (cell) return cell->toString();
  return getBoxed<std::string>(attribute);
}

void Instance::rethrowNamingAttribute(std::string_view attribute, const TypeError& e) const {
  throw TypeError(modelImpl()->name() + "." + std::string(attribute) + " of id " + std::to_string(id_) + ": " +
                  e.what());
}

Instance& Instance::set(std::string_view attribute, Value value) {
  const ModelImpl& m = *modelImpl();
  const std::uint32_t a = m.requireAttribute(attribute, "set");
  InstanceState& st = mutableState();
  st.touched = true;
  if (st.pending) {
    st.pendingRow[a] = std::move(value);
    return *this;
  }
  auto it = std::find_if(st.staged.begin(), st.staged.end(), [&](const auto& s) { return s.first == a; });
  if (it != st.staged.end()) {
    it->second = std::move(value);
  } else {
    st.staged.emplace_back(a, std::move(value));
  }
  return *this;
}

bool Instance::changed() const {
  if (!state_) return false;
  if (state_->pending) return true;
  if (state_->staged.empty()) return false;
  const ModelImpl& m = *modelImpl();
  auto row = m.table().rowOf(id_);
  if (!row) return true;
  for (const auto& [a, v] : state_->staged) {
    if (m.table().column(a).differs(*row, v)) return true;  // as save() decides
  }
  return false;
}

namespace {

// Where the rows of alias `as` loaded for `self` sit in its shape: the
// index into ResultShape::many or ::one. Throws AssociationError for an
// unknown alias, the wrong arity, or an association the query did not load.
std::size_t includedSlot(const Instance& self, std::string_view as, bool toOne) {
  const detail::StoreImpl& store = *self.storeImpl();
  const ModelImpl& m = store.model(self.modelIndex());
  for (std::uint32_t id : m.associationIds()) {
    const detail::AssociationDef& d = store.association(id);
    if (d.as != as) continue;
    if (detail::isToOne(d.type) != toOne) {
      throw AssociationError("Association " + m.name() + "." + d.as + " is " + (toOne ? "to-many: use included()" : "to-one: use includedOne()"));
    }
    if (const detail::ResultShape* shape = self.shape()) {
      const auto& loaded = shape->included;
      for (std::size_t i = 0; i < loaded.size(); ++i) {
        if (loaded[i] == id) return shape->at(self.slot(), i);
      }
    }
    throw AssociationError("Association " + m.name() + "." + d.as + " was not included by the query that made this " +
                           m.name());
  }
  throw AssociationError("Model " + m.name() + " has no association with alias \"" + std::string(as) + "\"");
}

}  // namespace

const std::vector<Instance>& Instance::included(std::string_view as) const {
  const std::size_t at = includedSlot(*this, as, false);  // throws when shape_ holds none
  return shape_->many[at];
}

std::optional<Instance> Instance::includedOne(std::string_view as) const {
  const std::size_t at = includedSlot(*this, as, true);
  const Instance* one = shape_->oneAt(at);
  if (!one) return std::nullopt;
  return *one;
}

std::optional<Instance> Instance::through() const {
  if (throughModel_ == kNoThrough) return std::nullopt;
  return Instance(&modelImpl()->store(), throughModel_, throughId_);
}

BoundAssociation Instance::assoc(std::string_view as) const { return BoundAssociation(model().association(as), *this); }

void Instance::save() { detail::saveInstance(*this); }

void Instance::update(const Record& values) {
  for (const Field& f : values) set(f.name, f.value);
  save();
}

void Instance::destroy() { detail::destroyInstance(*this); }

void Instance::reload() {
  const ModelImpl& m = *modelImpl();
  if (!m.table().rowOf(id_)) missing(m, id_);
  if (state_) state_->staged.clear();
}

}  // namespace relstore
