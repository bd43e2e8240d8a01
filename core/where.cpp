// Builders of the public Where tree (see relstore/where.h).
#include "relstore/where.h"

#include "query/where_node.h"

namespace relstore {

using detail::WhereKind;
using detail::WhereNode;

namespace {

Where leaf(WhereKind kind, const std::string& attribute, std::vector<Value> values) {
  auto node = std::make_shared<WhereNode>();
  node->kind = kind;
  node->attribute = attribute;
  node->values = std::move(values);
  return Where(std::move(node));
}

Where junction(WhereKind kind, Where a, Where b) {
  auto node = std::make_shared<WhereNode>();
  node->kind = kind;
  // Flatten nested chains of the same connective so compiled trees stay shallow.
  for (Where* w : {&a, &b}) {
    const auto& child = w->node();
    if (child->kind == kind) {
      node->children.insert(node->children.end(), child->children.begin(), child->children.end());
    } else {
      node->children.push_back(child);
    }
  }
  return Where(std::move(node));
}

}  // namespace

Col col(std::string attribute) { return Col(std::move(attribute)); }

Where Col::operator==(Value v) const {
  if (v.isNull()) return isNull();
  return leaf(WhereKind::Eq, attribute_, {std::move(v)});
}
Where Col::operator!=(Value v) const {
  if (v.isNull()) return isNotNull();
  return leaf(WhereKind::Ne, attribute_, {std::move(v)});
}
Where Col::operator<(Value v) const { return leaf(WhereKind::Lt, attribute_, {std::move(v)}); }
Where Col::operator<=(Value v) const { return leaf(WhereKind::Le, attribute_, {std::move(v)}); }
Where Col::operator>(Value v) const { return leaf(WhereKind::Gt, attribute_, {std::move(v)}); }
Where Col::operator>=(Value v) const { return leaf(WhereKind::Ge, attribute_, {std::move(v)}); }
Where Col::in(std::vector<Value> vs) const { return leaf(WhereKind::In, attribute_, std::move(vs)); }
Where Col::notIn(std::vector<Value> vs) const { return leaf(WhereKind::NotIn, attribute_, std::move(vs)); }
Where Col::like(std::string p) const { return leaf(WhereKind::Like, attribute_, {Value(std::move(p))}); }
Where Col::notLike(std::string p) const { return leaf(WhereKind::NotLike, attribute_, {Value(std::move(p))}); }
Where Col::between(Value lo, Value hi) const {
  return leaf(WhereKind::Between, attribute_, {std::move(lo), std::move(hi)});
}
Where Col::isNull() const { return leaf(WhereKind::IsNull, attribute_, {}); }
Where Col::isNotNull() const { return leaf(WhereKind::IsNotNull, attribute_, {}); }

Where::Where(std::initializer_list<Field> equalities) {
  Where all;
  for (const Field& f : equalities) all = std::move(all) && (col(f.name) == f.value);
  node_ = all.node_;
}

Where operator&&(Where a, Where b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return junction(WhereKind::And, std::move(a), std::move(b));
}

Where operator||(Where a, Where b) {
  if (a.empty() || b.empty()) return Where{};  // one side matches every row
  return junction(WhereKind::Or, std::move(a), std::move(b));
}

Where operator!(Where a) {
  auto node = std::make_shared<WhereNode>();
  if (a.empty()) {
    node->kind = WhereKind::None;
  } else {
    node->kind = WhereKind::Not;
    node->children.push_back(a.node());
  }
  return Where(std::move(node));
}

}  // namespace relstore
