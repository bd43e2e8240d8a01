// relstore/hooks.h — lifecycle hooks: code that runs around writes.
//
// What it is: a hook is a function registered on a model with
// `Model::addHook(Hook, fn)`, called with the Instance being written.
//
// When to use it: to derive or check values on write (BeforeCreate), to log or
// react to a change (AfterUpdate), to refuse a write (throw from a Before*).
//
//   HookId h = players.addHook(Hook::BeforeCreate, [](Instance& p) {
//     if (p.get("name").isNull()) p.set("name", "anonymous");
//   });
//   players.removeHook(h);
//
// Order of one write — create: BeforeValidate, (validation), AfterValidate,
// BeforeCreate, BeforeSave, (write), AfterCreate, AfterSave. Update: the same
// with BeforeUpdate/AfterUpdate. Destroy: BeforeDestroy, (remove),
// AfterDestroy. Hooks of one event run in registration order.
//
// Rules: a Before* hook sees the values about to be written through `get()`
// and may change them with `set()` (in BeforeCreate `id()` is 0 unless the
// record gave an id); values set by a hook are validated again. A before-hook
// that throws aborts the operation with nothing changed, and the exception
// propagates as is. An after-hook that throws propagates once the change is
// made. An AfterDestroy hook's Instance still reads the values its row had
// (`exists()` is false). `bulkCreate` and `Model::update` run each row's
// hooks; `Model::destroy(where)` runs them only with `individualHooks`. Hooks
// never run while a snapshot loads. Hooks (and attribute validators) may
// write but not change the schema: `Store::define` and association
// definitions in them throw SchemaError, as inside a transaction; so does
// `loadSnapshot` (SnapshotError), and a transaction open when the hook began
// is not its to end (Error). Tables do not compact while one runs.
#pragma once

#include <cstdint>

namespace relstore {

enum class Hook {
  BeforeValidate, AfterValidate, BeforeCreate, AfterCreate,
  BeforeUpdate, AfterUpdate, BeforeSave, AfterSave,
  BeforeDestroy, AfterDestroy
};

// Identifies one registration, for `Model::removeHook`. Never reused.
using HookId = std::uint64_t;

}  // namespace relstore
