// The write paths: create, update and destroy, each all-or-nothing.
//
// Every write runs in phases: (1) hooks and validation, which may throw and
// change nothing; (2) constraint checks against the table and the batch
// itself, with no user code running; (3) the table writes, which cannot fail;
// (4) after-hooks. Row slots move when rows are destroyed, so phases keep ids
// and resolve slots just before writing.
//
// Not yet covered (transactions, a later issue): rows that a before-hook
// itself writes stay written if the operation then fails.
#pragma once

#include <span>
#include <vector>

#include "relstore/find_options.h"
#include "relstore/instance.h"

namespace relstore::detail {

class ModelImpl;
class StoreImpl;

Instance createRow(StoreImpl& store, ModelImpl& model, const Record& record);
std::vector<Instance> createRows(StoreImpl& store, ModelImpl& model, std::span<const Record> records);

// Writes `instance`'s staged values; no-op when none differs from the row.
void saveInstance(Instance& instance);
std::size_t updateWhere(StoreImpl& store, ModelImpl& model, const Record& values, const Where& where);

void destroyInstance(Instance& instance);
std::size_t destroyWhere(StoreImpl& store, ModelImpl& model, const Where& where, const DestroyOptions& options);

}  // namespace relstore::detail
