// Executing FindOptions against one model: select the matching row slots
// (index plan or scan), order them, apply offset/limit, and describe what the
// resulting Instances show.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "relstore/find_options.h"
#include "relstore/instance.h"

namespace relstore::detail {

class ModelImpl;
struct ResultShape;

// Slots of the rows matching `where`, in no promised order (scan order, or
// index order). Stops once `stopAfter` rows are found.
std::vector<std::uint32_t> selectRows(const ModelImpl& model, const Where& where,
                                      std::size_t stopAfter = std::numeric_limits<std::size_t>::max());

// Sorts `rows` by `order` (nulls first ascending, last descending, ties by
// primary key), keeping only the first `keep` correctly ordered.
void orderRows(const ModelImpl& model, std::vector<std::uint32_t>& rows, const std::vector<Order>& order,
               std::size_t keep);

// Of `candidates` (slots of `model`), those matching `options.where`, then
// ordered, offset and limited as `options` says (`include` is not looked at).
std::vector<std::uint32_t> filterRows(const ModelImpl& model, std::vector<std::uint32_t> candidates,
                                      const FindOptions& options, bool applyLimit = true);

// Matching rows after order, offset and limit.
std::vector<std::uint32_t> findRows(const ModelImpl& model, const FindOptions& options);

// Checks `attributes` names and returns the shape to share among results (null
// when every attribute is shown).
ShapeRef shapeFor(const ModelImpl& model, const std::vector<std::string>& attributes);

}  // namespace relstore::detail
