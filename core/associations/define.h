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

}  // namespace relstore::detail
