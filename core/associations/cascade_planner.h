// The cascade planner: what destroying rows, or changing referenced keys,
// does to every row that references them — computed whole before anything
// changes, then applied.
//
// Planning walks the referencing rows through the link indices breadth-first
// with an explicit queue (no recursion, so a chain of any depth or a fan-out
// of any width is fine; self-references and cycles end because a row is
// visited once). It throws ForeignKeyConstraintError, with nothing changed,
// for a Restrict/NoAction with a surviving child, a SetNull on a NOT NULL
// key, or a SetDefault whose default references no surviving parent. A
// planned write to a key column that other rows reference in turn (a unique
// foreign key named as another association's sourceKey/targetKey) changes
// that key too: its referencing rows get their onUpdate action, transitively,
// as in SQL. Apply
// then cannot fail except through hooks: before-hooks of every hooked row run
// first, in pre-order of the tree of which row's destroy reached which (each
// row before the rows it reaches, a subtree whole before the next sibling's),
// and may abort with nothing changed; a before-hook that writes a table the
// cascade can reach makes the rest run on a plan made again over the store
// as it is then (rows it creates under doomed parents go too, rows it moves
// away stay); after the writes, after-hooks run in post-order (each row after
// the rows it reached).
#pragma once

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "relstore/instance.h"
#include "relstore/value.h"

namespace relstore::detail {

class StoreImpl;

inline constexpr std::uint32_t kNoRow = ~std::uint32_t{0};

struct DoomedRow {
  std::uint32_t model;
  // Its slot when planned (kNoRow: a root that does not exist). Rows do not
  // move until they are removed, so a plan without hooks applies these as
  // they are; hooks may write, so a hooked plan looks the ids up again.
  std::uint32_t row;
  Id id;
  // The index in the plan of the row whose destroy reached it (kNoRow for a
  // root): the tree that orders hooks depth-first.
  std::uint32_t reachedFrom = kNoRow;
  bool hooked = false;  // its destroy hooks run
};

struct KeyWrite {
  std::uint32_t model;
  Id id;
  std::uint32_t column;
  Value value;
  bool verify = false;  // a SetDefault: the value must reference a surviving parent
};

struct CascadePlan {
  std::vector<DoomedRow> destroys;  // roots first, then breadth-first
  std::vector<KeyWrite> writes;     // SetNull / SetDefault / onUpdate Cascade on surviving rows
};

// Plans destroying `roots` (rows of `model`, by id); `rootHooks`: whether the
// roots' own destroy hooks run.
CascadePlan planDestroy(const StoreImpl& store, std::uint32_t model, const std::vector<Id>& roots, bool rootHooks);

// A referenced key of one row about to change from `before` to `after`.
struct KeyChange {
  std::uint32_t model;
  std::uint32_t column;
  Value before;
  Value after;
};

// A cell the updating statement writes itself: (model, row id, column).
using StatementCell = std::tuple<std::uint32_t, Id, std::uint32_t>;

// Plans the onUpdate actions of key changes (the key's own row is written by
// the caller). Destroys in the result are empty. `written`: cells the
// statement writes itself, with the values it writes (rows of one model).
// A row changing its key and its own reference to it is a child of the
// changing key by the value written, as SQL's actions run after the row's
// own update; the plan's writes into unique and pair columns are checked
// against the statement's values there too.
CascadePlan planKeyChanges(const StoreImpl& store, const std::vector<KeyChange>& changes,
                           const std::map<StatementCell, Value>& written = {});

// Runs the plan: before-hooks, removals, key writes, after-hooks. `roots`
// (optional, parallel to the first plan.destroys) are the caller's own
// handles for the root rows, so hooks see and update them.
void applyPlan(StoreImpl& store, const CascadePlan& plan, const std::vector<Instance*>& roots = {});

}  // namespace relstore::detail
