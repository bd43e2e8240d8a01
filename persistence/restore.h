// From decoded snapshot data to a live store: the all-or-nothing half of a load.
//
// restoreInto builds a fresh table for every model of the store (its
// indices cloned empty), fills it from the data under the code's schema
// (attributes matched by name: added ones get their default, dropped ones
// need allowDrop, Int widens to Real, other type changes and NOT NULL
// violations refuse), rebuilds every index, verifies primary keys, unique
// values, junction pairs, id counters and constrained foreign keys against
// the new tables, and only then swaps every table in (a noexcept step).
// Nothing of the store changes before that swap.
#pragma once

#include "relstore/snapshot.h"
#include "snapshot_data.h"

namespace relstore::detail {

class StoreImpl;

// Loads `data` into `store` as described above. Throws SnapshotError.
LoadReport restoreInto(StoreImpl& store, SnapshotData data, const SnapshotOptions& options);

// Defines in `store` (which has no models) the schema `data` describes:
// models with their attributes, foreign keys, associations and their link
// and pair indices. Throws SnapshotError when the schema does not hold
// together (a key whose type differs from the key it references, an
// association whose key does not join its models, ...).
void defineSchema(StoreImpl& store, const SnapshotData& data);

}  // namespace relstore::detail
