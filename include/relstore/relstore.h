// relstore/relstore.h — everything of relstore's core API in one include.
//
// relstore is an embedded, in-memory relational object store: models
// (tables) of typed columns, queries with `where`/`order`/`limit`, hooks,
// associations with in-memory cascades, eager loading, scopes and
// transactions — in Sequelize's vocabulary. Snapshots to disk are a separate
// library and header (relstore/snapshot.h, relstore::persistence).
//
//   #include <relstore/relstore.h>
//   using namespace relstore;
//   Store store;
//   Model users = store.define("User", {{.name = "name", .allowNull = false}});
//   Instance john = users.create({{"name", "John"}});
//   auto found = users.findOne({.where = {{"name", "John"}}});
//
// See each header for its own rules: value.h, attribute.h, where.h,
// find_options.h, hooks.h, instance.h, model.h, model_ref.h, association.h,
// transaction.h, store.h, errors.h.
#pragma once

#include "relstore/association.h"
#include "relstore/attribute.h"
#include "relstore/errors.h"
#include "relstore/find_options.h"
#include "relstore/hooks.h"
#include "relstore/instance.h"
#include "relstore/model.h"
#include "relstore/model_ref.h"
#include "relstore/store.h"
#include "relstore/transaction.h"
#include "relstore/value.h"
#include "relstore/where.h"
