// What a snapshot holds, decoupled from the live store: the schema (models
// with their attributes, foreign keys, association definitions) and each
// model's columns.
//
// A save describes the store (its columns referenced in place, or copied for
// an asynchronous save); a load decodes a file into owned columns, which the
// restore step then moves into fresh tables.
#pragma once

#include <cstdint>
#include <vector>

#include "associations/association_def.h"
#include "relstore/attribute.h"
#include "storage/column.h"

namespace relstore::detail {

class StoreImpl;

struct ModelData {
  std::string name;
  std::vector<Attribute> attributes;  // validators are code: never stored
  std::uint32_t pk = 0;
  Id idCounter = 0;
  std::uint32_t rows = 0;
  std::vector<Column> owned;            // decoded, or copied for an async save
  std::vector<const Column*> columns;   // one per attribute: what a save writes
  // The copied columns still hold the table's free slots (rows whose primary
  // key is null): compactCopies() takes them out before the write.
  bool freeSlots = false;
};

struct SnapshotData {
  std::vector<ModelData> models;
  std::vector<ForeignKey> foreignKeys;
  std::vector<AssociationDef> associations;  // targetScopes stay null: scopes are code
};

// The store as a snapshot. With `copyColumns` the columns are copied (the
// data outlives later writes to the store; copies share the columns'
// copy-on-write chunks, so this costs O(chunks) plus the null bitmaps);
// without, the data points into the store and is valid until its next write.
SnapshotData describe(const StoreImpl& store, bool copyColumns);

// Takes the free slots out of the columns an asynchronous save copied
// (ModelData::freeSlots), so that the file holds rows only. O(rows x columns)
// of those models: the worker's part, not the caller's.
void compactCopies(SnapshotData& data);

}  // namespace relstore::detail
