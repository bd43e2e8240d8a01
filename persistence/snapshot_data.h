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

// A text column as the binary payload stores it: null bitmap, one length per
// row, the bytes of every row back to back. Packing is how an asynchronous
// save captures texts (a few large copies instead of a string object per
// row) and how every binary save writes them.
struct PackedText {
  std::vector<std::uint64_t> nulls;
  std::vector<std::uint64_t> lengths;
  std::string bytes;
};
PackedText packText(const Column& column);

struct ModelData {
  std::string name;
  std::vector<Attribute> attributes;  // validators are code: never stored
  std::uint32_t pk = 0;
  Id idCounter = 0;
  std::uint32_t rows = 0;
  std::vector<Column> owned;            // decoded, or copied for an async save
  // One per attribute, what a save writes: a column, or (an async save's
  // text columns) null with the column packed in `packed`.
  std::vector<const Column*> columns;
  std::vector<PackedText> packed;       // empty, or one per attribute
};

struct SnapshotData {
  std::vector<ModelData> models;
  std::vector<ForeignKey> foreignKeys;
  std::vector<AssociationDef> associations;  // targetScopes stay null: scopes are code
};

// The store as a snapshot. With `copyColumns` the columns are copied (the
// data outlives later writes to the store: numbers as vector copies, texts
// packed); without, the data points into the store and is valid until its
// next write.
SnapshotData describe(const StoreImpl& store, bool copyColumns);

}  // namespace relstore::detail
