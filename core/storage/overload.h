// Overload{f, g, ...}: one callable from several lambdas, for std::visit over
// the table's index variants.
#pragma once

namespace relstore::detail {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

}  // namespace relstore::detail
