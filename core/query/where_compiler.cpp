#include "query/where_compiler.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <functional>
#include <string>

#include "query/where_node.h"
#include "store_impl.h"

namespace relstore::detail {

namespace {

Tri toTri(bool b) { return b ? Tri::True : Tri::False; }

class ConstantPredicate final : public Predicate {
 public:
  explicit ConstantPredicate(Tri value) : value_(value) {}
  Tri eval(std::uint32_t) const override { return value_; }
  void prefetch(std::uint32_t) const noexcept override {}

 private:
  Tri value_;
};

// A leaf: reads the row's typed value with `Read` and tests it with `Test`.
template <class Read, class Test>
class LeafPredicate final : public Predicate {
 public:
  LeafPredicate(const Column* column, Read read, Test test) : column_(column), read_(read), test_(std::move(test)) {}
  Tri eval(std::uint32_t row) const override {
    if (column_->isNull(row)) return Tri::Unknown;
    return toTri(test_(read_(*column_, row)));
  }
  void prefetch(std::uint32_t row) const noexcept override { column_->prefetch(row); }

 private:
  const Column* column_;
  Read read_;
  Test test_;
};

template <class Read, class Test>
std::unique_ptr<Predicate> leaf(const Column* column, Read read, Test test) {
  return std::make_unique<LeafPredicate<Read, Test>>(column, read, std::move(test));
}

constexpr auto readInt = [](const Column& c, std::uint32_t r) { return c.intAt(r); };
constexpr auto readIntAsReal = [](const Column& c, std::uint32_t r) { return static_cast<double>(c.intAt(r)); };
constexpr auto readReal = [](const Column& c, std::uint32_t r) { return c.realAt(r); };
constexpr auto readBool = [](const Column& c, std::uint32_t r) { return c.boolAt(r); };
constexpr auto readText = [](const Column& c, std::uint32_t r) { return c.textAt(r); };  // a view
constexpr auto readTextCell = [](const Column& c, std::uint32_t r) -> const TextCell& { return c.textCellAt(r); };

class NullTestPredicate final : public Predicate {
 public:
  NullTestPredicate(const Column* column, bool wantNull) : column_(column), wantNull_(wantNull) {}
  Tri eval(std::uint32_t row) const override { return toTri(column_->isNull(row) == wantNull_); }
  void prefetch(std::uint32_t row) const noexcept override { column_->prefetch(row); }

 private:
  const Column* column_;
  bool wantNull_;
};

class AndPredicate final : public Predicate {
 public:
  explicit AndPredicate(std::vector<std::unique_ptr<Predicate>> parts) : parts_(std::move(parts)) {}
  Tri eval(std::uint32_t row) const override {
    Tri result = Tri::True;
    for (const auto& p : parts_) {
      const Tri t = p->eval(row);
      if (t == Tri::False) return Tri::False;
      if (t == Tri::Unknown) result = Tri::Unknown;
    }
    return result;
  }
  void prefetch(std::uint32_t row) const noexcept override {
    for (const auto& p : parts_) p->prefetch(row);
  }
  // The predicate of the condition's `i`th conjunct.
  const Predicate& part(std::size_t i) const noexcept { return *parts_[i]; }

 private:
  std::vector<std::unique_ptr<Predicate>> parts_;
};

class OrPredicate final : public Predicate {
 public:
  explicit OrPredicate(std::vector<std::unique_ptr<Predicate>> parts) : parts_(std::move(parts)) {}
  Tri eval(std::uint32_t row) const override {
    Tri result = Tri::False;
    for (const auto& p : parts_) {
      const Tri t = p->eval(row);
      if (t == Tri::True) return Tri::True;
      if (t == Tri::Unknown) result = Tri::Unknown;
    }
    return result;
  }
  void prefetch(std::uint32_t row) const noexcept override {
    for (const auto& p : parts_) p->prefetch(row);
  }

 private:
  std::vector<std::unique_ptr<Predicate>> parts_;
};

class NotPredicate final : public Predicate {
 public:
  explicit NotPredicate(std::unique_ptr<Predicate> inner) : inner_(std::move(inner)) {}
  Tri eval(std::uint32_t row) const override {
    const Tri t = inner_->eval(row);
    return t == Tri::Unknown ? t : toTri(t == Tri::False);
  }
  void prefetch(std::uint32_t row) const noexcept override { inner_->prefetch(row); }

 private:
  std::unique_ptr<Predicate> inner_;
};

struct Context {
  const ModelImpl& model;
  std::uint32_t attribute;
  const Column* column() const { return &model.table().column(attribute); }
  Type type() const { return model.attribute(attribute).type; }

  [[noreturn]] void mismatch(const Value& operand, std::string_view op) const {
    throw TypeError("Cannot compare " + model.qualified(attribute) + " (" + std::string(typeName(type())) + ") " +
                    std::string(op) + " a " + std::string(typeName(operand.type())) + " value (" +
                    operand.toString() + ")");
  }
};

// Integer `i` against non-NaN real `r`, exactly (as SQLite compares them):
// negative, zero or positive as i <, ==, > r. Converting i to a double
// instead would round it above 2^53 (2^53 + 1 would equal 2^53).
int compareIntReal(std::int64_t i, double r) noexcept {
  if (r < -9223372036854775808.0) return 1;
  if (r >= 9223372036854775808.0) return -1;
  const auto whole = static_cast<std::int64_t>(r);  // in range: truncates toward zero
  if (i != whole) return i < whole ? -1 : 1;
  const double fraction = r - static_cast<double>(whole);  // exact: whole is r's integral part
  return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
}

template <class Op>
std::unique_ptr<Predicate> comparison(const Context& ctx, const Value& rhs, Op op, std::string_view opName) {
  if (rhs.isNull()) return std::make_unique<ConstantPredicate>(Tri::Unknown);
  const Column* c = ctx.column();
  switch (ctx.type()) {
    case Type::Int:
      if (rhs.type() == Type::Int) return leaf(c, readInt, [v = rhs.asInt(), op](std::int64_t x) { return op(x, v); });
      if (rhs.type() == Type::Real) {
        const double v = rhs.asReal();
        if (std::isnan(v)) return leaf(c, readIntAsReal, [v, op](double x) { return op(x, v); });
        return leaf(c, readInt, [v, op](std::int64_t x) { return op(compareIntReal(x, v), 0); });
      }
      break;
    case Type::Real:
      if (rhs.type() == Type::Int) {
        return leaf(c, readReal, [v = rhs.asInt(), op](double x) {
          return std::isnan(x) ? op(x, static_cast<double>(v)) : op(-compareIntReal(v, x), 0);
        });
      }
      if (rhs.type() == Type::Real) return leaf(c, readReal, [v = rhs.asReal(), op](double x) { return op(x, v); });
      break;
    case Type::Bool:
      if (rhs.type() == Type::Bool) return leaf(c, readBool, [v = rhs.asBool(), op](bool x) { return op(x, v); });
      break;
    case Type::Text:
      if (rhs.type() == Type::Text) {
        if constexpr (std::is_same_v<Op, std::equal_to<>> || std::is_same_v<Op, std::not_equal_to<>>) {
          if (rhs.asText().size() <= TextCell::kInline) {
            // A short text (a status, a kind): cells compare whole, no memcmp.
            return leaf(c, readTextCell, [k = TextCell(rhs.asText()), op](const TextCell& x) {
              return op(x.equalsInline(k), true);
            });
          }
        }
        return leaf(c, readText, [v = rhs.asText(), op](std::string_view x) { return op(x, std::string_view(v)); });
      }
      break;
  }
  ctx.mismatch(rhs, opName);
}

// The operand converted to the attribute's domain for an equality, or none if
// no value of the attribute can equal it (an Int attribute against 2.5).
// Incompatible types: TypeError.
std::optional<Value> equalityKey(const Context& ctx, const Value& v, std::string_view opName) {
  switch (ctx.type()) {
    case Type::Int:
      if (v.type() == Type::Int) return v;
      if (v.type() == Type::Real) {
        const double d = v.asReal();
        if (std::trunc(d) == d && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18) {
          return Value(static_cast<std::int64_t>(d));
        }
        return std::nullopt;
      }
      break;
    case Type::Real:
      if (v.type() == Type::Int) {
        // Only an integer a double holds exactly can equal a Real cell.
        const double d = static_cast<double>(v.asInt());
        if (compareIntReal(v.asInt(), d) != 0) return std::nullopt;
        return Value(d);
      }
      if (v.type() == Type::Real) {
        if (std::isnan(v.asReal())) return std::nullopt;  // NaN equals nothing, itself included
        return v;
      }
      break;
    case Type::Bool:
      if (v.type() == Type::Bool) return v;
      break;
    case Type::Text:
      if (v.type() == Type::Text) return v;
      break;
  }
  ctx.mismatch(v, opName);
}

// Sorts `keys` ascending. A long list (a batch of ids) goes through an LSD
// radix sort over the bytes in which its keys differ — ids below 2^24 take
// three counting passes — where std::sort's comparisons, mispredicted half
// the time on random ids, took several times longer.
void sortAscending(std::vector<std::int64_t>& keys) {
  if (keys.size() < 128) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;  // flipped: unsigned order is signed order
  std::vector<std::uint64_t> from(keys.size()), to(keys.size());
  std::uint64_t differing = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    from[i] = static_cast<std::uint64_t>(keys[i]) ^ kSignBit;
    differing |= from[i] ^ from[0];
  }
  for (unsigned shift = 0; shift < 64; shift += 8) {
    if (((differing >> shift) & 0xff) == 0) continue;  // every key has the same byte here
    std::size_t start[257] = {};
    for (std::uint64_t k : from) ++start[((k >> shift) & 0xff) + 1];
    for (std::size_t b = 1; b < 257; ++b) start[b] += start[b - 1];
    for (std::uint64_t k : from) to[start[(k >> shift) & 0xff]++] = k;  // stable: earlier bytes stay ordered
    from.swap(to);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = static_cast<std::int64_t>(from[i] ^ kSignBit);
}

template <class T>
void sortAscending(std::vector<T>& keys) {
  std::sort(keys.begin(), keys.end());
}

// IN / NOT IN over a sorted set of keys in the attribute's domain.
template <class T, class Read>
class InPredicate final : public Predicate {
 public:
  // `keys`: the listed values that can equal a cell (no NaN); `emptyList`:
  // nothing was listed at all (x IN () is false even for a null x).
  InPredicate(const Column* column, Read read, std::vector<T> keys, bool hasNull, bool emptyList, bool negated)
      : column_(column), read_(read), keys_(std::move(keys)), hasNull_(hasNull), emptyList_(emptyList),
        negated_(negated) {
    sortAscending(keys_);
    keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
  }
  Tri eval(std::uint32_t row) const override {
    if (column_->isNull(row)) return emptyList_ ? toTri(negated_) : Tri::Unknown;
    const auto x = read_(*column_, row);
    bool found;
    if constexpr (std::is_floating_point_v<T>) {
      found = !std::isnan(x) && std::binary_search(keys_.begin(), keys_.end(), x);  // a NaN cell equals nothing
    } else {
      found = std::binary_search(keys_.begin(), keys_.end(), x);
    }
    if (found) return toTri(!negated_);
    return hasNull_ ? Tri::Unknown : toTri(negated_);
  }
  void prefetch(std::uint32_t row) const noexcept override { column_->prefetch(row); }
  // The listed keys, sorted, without duplicates.
  const std::vector<T>& keys() const noexcept { return keys_; }

 private:
  const Column* column_;
  Read read_;
  std::vector<T> keys_;
  bool hasNull_;
  bool emptyList_;
  bool negated_;
};

// The listed values an Int attribute can equal, as integers (the common
// `id IN (...)` list: sorted as integers by InPredicate, not as boxed Values);
// `hasNull` tells whether null was listed. TypeError (equalityKey) for an
// incompatible value.
std::vector<std::int64_t> intKeys(const Context& ctx, const std::vector<Value>& values, std::string_view opName,
                                  bool& hasNull) {
  std::vector<std::int64_t> keys;
  keys.reserve(values.size());
  for (const Value& v : values) {
    if (v.isNull()) {
      hasNull = true;
    } else if (v.type() == Type::Int) {
      keys.push_back(v.asInt());
    } else if (auto k = equalityKey(ctx, v, opName)) {
      keys.push_back(k->asInt());
    }
  }
  return keys;
}

using IntInPredicate = InPredicate<std::int64_t, decltype(readInt)>;

std::unique_ptr<Predicate> membership(const Context& ctx, const std::vector<Value>& values, bool negated) {
  const std::string_view opName = negated ? "notIn" : "in";
  bool hasNull = false;
  if (ctx.type() == Type::Int) {
    std::vector<std::int64_t> keys = intKeys(ctx, values, opName, hasNull);
    return std::make_unique<IntInPredicate>(ctx.column(), readInt, std::move(keys), hasNull, values.empty(), negated);
  }
  std::vector<Value> keys;
  for (const Value& v : values) {
    if (v.isNull()) {
      hasNull = true;
    } else if (auto k = equalityKey(ctx, v, opName)) {
      keys.push_back(std::move(*k));
    }
  }
  auto make = [&](auto read, auto get) -> std::unique_ptr<Predicate> {
    using T = std::decay_t<decltype(get(std::declval<const Value&>()))>;
    std::vector<T> typed;
    typed.reserve(keys.size());
    for (const Value& k : keys) typed.push_back(get(k));
    return std::make_unique<InPredicate<T, decltype(read)>>(ctx.column(), read, std::move(typed), hasNull,
                                                           values.empty(), negated);
  };
  switch (ctx.type()) {
    case Type::Int: break;  // above
    case Type::Real: return make(readReal, [](const Value& k) { return k.asReal(); });
    case Type::Bool: return make(readBool, [](const Value& k) { return k.asBool(); });
    case Type::Text: return make(readText, [](const Value& k) { return k.asText(); });
  }
  return nullptr;
}

std::unique_ptr<Predicate> pattern(const Context& ctx, const Value& p, bool negated) {
  if (ctx.type() != Type::Text) {
    throw TypeError(std::string(negated ? "notLike" : "like") + " needs a Text attribute; " +
                    ctx.model.qualified(ctx.attribute) + " is " + std::string(typeName(ctx.type())));
  }
  if (p.isNull()) return std::make_unique<ConstantPredicate>(Tri::Unknown);
  return leaf(ctx.column(), readText, [pat = p.asText(), negated](std::string_view x) {
    return likeMatch(x, pat) != negated;
  });
}

std::unique_ptr<Predicate> compileNode(const ModelImpl& model, const WhereNode& node) {
  if (node.kind == WhereKind::None) return std::make_unique<ConstantPredicate>(Tri::False);
  if (node.kind == WhereKind::And || node.kind == WhereKind::Or || node.kind == WhereKind::Not) {
    std::vector<std::unique_ptr<Predicate>> parts;
    for (const auto& child : node.children) parts.push_back(compileNode(model, *child));
    if (node.kind == WhereKind::Not) return std::make_unique<NotPredicate>(std::move(parts.front()));
    if (node.kind == WhereKind::And) return std::make_unique<AndPredicate>(std::move(parts));
    return std::make_unique<OrPredicate>(std::move(parts));
  }
  const Context ctx{model, model.requireAttribute(node.attribute, "where")};
  switch (node.kind) {
    case WhereKind::Eq: return comparison(ctx, node.values[0], std::equal_to<>{}, "==");
    case WhereKind::Ne: return comparison(ctx, node.values[0], std::not_equal_to<>{}, "!=");
    case WhereKind::Lt: return comparison(ctx, node.values[0], std::less<>{}, "<");
    case WhereKind::Le: return comparison(ctx, node.values[0], std::less_equal<>{}, "<=");
    case WhereKind::Gt: return comparison(ctx, node.values[0], std::greater<>{}, ">");
    case WhereKind::Ge: return comparison(ctx, node.values[0], std::greater_equal<>{}, ">=");
    case WhereKind::In: return membership(ctx, node.values, false);
    case WhereKind::NotIn: return membership(ctx, node.values, true);
    case WhereKind::Like: return pattern(ctx, node.values[0], false);
    case WhereKind::NotLike: return pattern(ctx, node.values[0], true);
    case WhereKind::Between: {
      std::vector<std::unique_ptr<Predicate>> parts;
      parts.push_back(comparison(ctx, node.values[0], std::greater_equal<>{}, "between"));
      parts.push_back(comparison(ctx, node.values[1], std::less_equal<>{}, "between"));
      return std::make_unique<AndPredicate>(std::move(parts));
    }
    case WhereKind::IsNull: return std::make_unique<NullTestPredicate>(ctx.column(), true);
    case WhereKind::IsNotNull: return std::make_unique<NullTestPredicate>(ctx.column(), false);
    default: break;
  }
  return std::make_unique<ConstantPredicate>(Tri::False);
}

// An index plan for one conjunct, if it is `==`/`in` on an indexed attribute.
// `compiled` is the conjunct's predicate: an `in` on an Int attribute takes
// its keys from it, sorted once.
std::optional<IndexPlan> planFor(const ModelImpl& model, const WhereNode& node, const Predicate& compiled) {
  if (node.kind != WhereKind::Eq && node.kind != WhereKind::In) return std::nullopt;
  const int attribute = model.findAttribute(node.attribute);
  if (attribute < 0 || !model.table().hasIndex(static_cast<std::uint32_t>(attribute))) return std::nullopt;
  const Context ctx{model, static_cast<std::uint32_t>(attribute)};
  IndexPlan plan{ctx.attribute, {}};
  if (const auto* in = dynamic_cast<const IntInPredicate*>(&compiled); in && node.kind == WhereKind::In) {
    const std::vector<std::int64_t>& keys = in->keys();
    plan.keys.reserve(keys.size());
    for (std::int64_t k : keys) plan.keys.emplace_back(k);
    return plan;
  }
  for (const Value& v : node.values) {
    if (v.isNull()) continue;
    if (auto k = equalityKey(ctx, v, "in")) plan.keys.push_back(std::move(*k));
  }
  std::sort(plan.keys.begin(), plan.keys.end(), [](const Value& a, const Value& b) { return (a <=> b) < 0; });
  plan.keys.erase(std::unique(plan.keys.begin(), plan.keys.end()), plan.keys.end());
  return plan;
}

std::size_t planCost(const ModelImpl& model, const IndexPlan& plan) {
  std::size_t rows = 0;
  for (const Value& k : plan.keys) rows += model.table().lookupSize(plan.column, k);
  return rows;
}

}  // namespace

void Predicate::keepMatching(std::vector<std::uint32_t>& rows) const {
  std::size_t kept = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (k + kPrefetchAhead < rows.size()) prefetch(rows[k + kPrefetchAhead]);
    if (matches(rows[k])) rows[kept++] = rows[k];
  }
  rows.resize(kept);
}

CompiledWhere compileWhere(const ModelImpl& model, const Where& where) {
  CompiledWhere out;
  if (where.empty()) return out;
  const WhereNode& root = *where.node();
  out.predicate = compileNode(model, root);  // validates names and types first

  if (root.kind != WhereKind::And) {
    out.plan = planFor(model, root, *out.predicate);
    out.planIsExact = out.plan.has_value();
    return out;
  }
  const auto& conjuncts = static_cast<const AndPredicate&>(*out.predicate);
  std::size_t bestCost = 0;
  for (std::size_t i = 0; i < root.children.size(); ++i) {
    auto plan = planFor(model, *root.children[i], conjuncts.part(i));
    if (!plan) continue;
    const std::size_t cost = plan->column == model.pk() ? plan->keys.size() : planCost(model, *plan);
    if (!out.plan || cost < bestCost) {
      bestCost = cost;
      out.plan = std::move(plan);
    }
  }
  return out;
}

namespace {
// The position after the character starting at `t` of UTF-8 `text`: past
// its continuation bytes (10xxxxxx), so `_` and `%` step by characters, as
// SQLite's LIKE does (a stray continuation byte counts as one character).
std::size_t nextCharacter(std::string_view text, std::size_t t) noexcept {
  ++t;
  while (t < text.size() && (static_cast<unsigned char>(text[t]) & 0xC0) == 0x80) ++t;
  return t;
}
}  // namespace

bool likeMatch(std::string_view text, std::string_view pattern) noexcept {
  // Iterative matcher with single-star backtracking: O(|text| * |pattern|) worst case.
  std::size_t t = 0, p = 0, starP = std::string_view::npos, starT = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '_') {
      t = nextCharacter(text, t);
      ++p;
    } else if (p < pattern.size() && pattern[p] != '%' && pattern[p] == text[t]) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      starP = p++;
      starT = t;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      t = starT = nextCharacter(text, starT);
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

}  // namespace relstore::detail
