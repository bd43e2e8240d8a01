// Defining an association (Model::hasOne & co). See define.cpp.
#pragma once

#include <cstdint>

#include "relstore/association.h"

namespace relstore::detail {

class StoreImpl;

// Defines `type` from model `source` to `target`; returns the association's
// index. Throws SchemaError with nothing changed.
std::uint32_t defineAssociation(StoreImpl& store, AssociationType type, std::uint32_t source, const ModelRef& target,
                                const AssociationOptions& options);

// Sets the scope foreign key `fkId`'s actions keep to from the associations
// defined over it, as defining them one by one does (snapshot loads derive
// it rather than trust a file). O(associations).
void recomputeKeyScope(StoreImpl& store, std::uint32_t fkId);

}  // namespace relstore::detail
