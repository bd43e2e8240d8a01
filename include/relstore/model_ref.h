// relstore/model_ref.h — a model named by handle or by name.
//
// What it is: where an option refers to a model (an `Include`, a `through`
// junction), it accepts either a `Model` handle or the model's name:
// `{.model = posts}` or `{.model = "Post"}`. A handle keeps any scope it
// carries (`posts.scope("published")`); a name means the plain model.
//
// When to use it: you do not construct it yourself; it converts implicitly.
// It is resolved against the store when the operation runs: an unknown name is
// a SchemaError then, not when the ModelRef is made.
//
// Cost: a name or a handle (a pointer and an index); copying is cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace relstore {

class Model;
namespace detail {
class StoreImpl;
struct ScopeState;
}  // namespace detail

class ModelRef {
 public:
  ModelRef() = default;  // names no model
  ModelRef(const Model& model);
  ModelRef(const char* name) : name_(name) {}
  ModelRef(std::string name) : name_(std::move(name)) {}

  // True when it names no model at all.
  bool empty() const noexcept { return store_ == nullptr && name_.empty(); }
  // The name given, or empty for a handle.
  const std::string& name() const noexcept { return name_; }

  // Internal: the handle's parts (store_ is null for a name).
  const detail::StoreImpl* storeImpl() const noexcept { return store_; }
  std::uint32_t modelIndex() const noexcept { return index_; }
  const std::shared_ptr<const detail::ScopeState>& scopes() const noexcept { return scopes_; }

 private:
  std::string name_;
  const detail::StoreImpl* store_ = nullptr;
  std::uint32_t index_ = 0;
  std::shared_ptr<const detail::ScopeState> scopes_;
};

}  // namespace relstore
